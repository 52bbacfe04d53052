// A missing or malformed vault name, a malformed secret name, subscription or client ID stop the sample with exit 2
// and a message naming the setting, before any request reaches IMDS, Key Vault or ARM.

import { expectRejectedBeforeAnyRequest, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";

describe("keyvault-and-resource-groups rejects bad input before any request", () => {
  const sample = sampleAgainstEmulator("keyvault-and-resource-groups");

  it("no vault name, and no terminal to ask on", async () => {
    expectRejectedBeforeAnyRequest(await sample.run(), "--vault-name", "KEY_VAULT_NAME");
  });

  it("a vault name Key Vault would refuse", async () => {
    expectRejectedBeforeAnyRequest(await sample.run(["--vault-name", "1vault"]), "--vault-name", "'1vault'");
  });

  it("a secret name Key Vault would refuse, from KEY_VAULT_SECRET_NAME", async () => {
    const result = await sample.run(["--vault-name", "kv-msi-samples"], {
      env: { KEY_VAULT_SECRET_NAME: "my_secret" },
    });
    expectRejectedBeforeAnyRequest(result, "KEY_VAULT_SECRET_NAME", "'my_secret'");
  });

  it("a subscription ID that is not a GUID", async () => {
    const result = await sample.run(["--vault-name", "kv-msi-samples", "--subscription-id", "1234"]);
    expectRejectedBeforeAnyRequest(result, "--subscription-id", "'1234'");
  });

  it("a client ID that is not a GUID", async () => {
    const result = await sample.run([
      "--vault-name",
      "kv-msi-samples",
      "--subscription-id",
      sample.emulator.scenario.vm.subscriptionId,
      "--client-id",
      "id-msi-samples",
    ]);
    expectRejectedBeforeAnyRequest(result, "--client-id", "id-msi-samples");
  });
});
