// The identity package's fake IMDS, for the settings that come from instance metadata.
export * from "../../../identity/test/support/fake-imds.ts";
