// The identity package's fake IMDS, for the settings that come from instance metadata.
export * from "@msi-samples/identity/test/fake-imds";
