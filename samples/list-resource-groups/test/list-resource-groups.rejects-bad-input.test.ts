// Bad input stops the sample with exit 2 and a message naming the setting, before any request reaches IMDS or ARM.

import { expectRejectedBeforeAnyRequest, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";

describe("list-resource-groups rejects bad input before any request", () => {
  const sample = sampleAgainstEmulator("list-resource-groups");

  it("a subscription ID that is not a GUID, from the flag", async () => {
    const result = await sample.run(["--subscription-id", "1234"]);
    expectRejectedBeforeAnyRequest(result, "--subscription-id", "'1234'");
  });

  it("a subscription ID that is not a GUID, from AZURE_SUBSCRIPTION_ID", async () => {
    const result = await sample.run([], { env: { AZURE_SUBSCRIPTION_ID: "my-subscription" } });
    expectRejectedBeforeAnyRequest(result, "AZURE_SUBSCRIPTION_ID", "'my-subscription'");
  });

  // The subscription falls back to instance metadata, but a malformed flag needs no answer from IMDS to be refused.
  it("a client ID that is not a GUID, with the subscription left to instance metadata", async () => {
    const result = await sample.run(["--client-id", "not-a-guid"]);
    expectRejectedBeforeAnyRequest(result, "--client-id", "not-a-guid");
  });

  it("two identity selectors at once", async () => {
    const result = await sample.run([
      "--subscription-id",
      sample.emulator.scenario.vm.subscriptionId,
      "--client-id",
      "5d8b2f6a-3e1c-4b97-a6d0-8f2c4e9a1b73",
      "--object-id",
      "f2c6a0e8-4b7d-4d15-8a39-1e5b7c3f9d60",
    ]);
    expectRejectedBeforeAnyRequest(result, "--client-id", "--object-id");
  });

  it("an unknown flag", async () => {
    expectRejectedBeforeAnyRequest(await sample.run(["--subscription", "x"]), "--subscription", "--help");
  });
});
