// The sample creates a Key Vault as a generic resource (tenant from the token), prints it, and deletes it: the vault
// is gone from the emulator afterwards, and vaults it did not create are never touched.

import { describeRun, type SampleTestRun, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("create-delete-key-vault creates a vault and deletes it", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault");
  const vaultNames = () =>
    sample.emulator.world
      .listResources({ type: "Microsoft.KeyVault/vaults" })
      .map((v) => v.name.toLowerCase());
  const vaultRequests = (result: SampleTestRun, name: string) =>
    result.requests
      .filter((e) => e.service === "arm" && e.path.toLowerCase().includes(`/vaults/${name}?`))
      .map((e) => `${e.method} ${e.status}`);

  it("with a fresh name in the VM's group and region, then gone", async () => {
    const { vm, tenant } = sample.emulator.scenario;
    const result = await sample.run(["--yes"]);
    expect(result.status, describeRun(result)).toBe(0);
    const name = /Creating Key Vault '([^']+)'/.exec(result.stdout)?.[1] ?? "";
    expect(name).toMatch(/^msi-sample-[0-9a-f]{8}$/);
    expect(result.stdout).toContain(
      `Creating Key Vault '${name}' in resource group '${vm.resourceGroup}' (${vm.location})...`,
    );
    expect(result.stdout).toMatch(
      new RegExp(
        `Created /subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft\\.KeyVault/vaults/${name}`,
        "i",
      ),
    );
    expect(result.stdout).toContain(`vaultUri: "https://${name}.vault.azure.net/"`);
    expect(result.stdout).toContain(`tenantId: "${tenant.id}"`);
    expect(result.stdout).toContain(`Deleting Key Vault '${name}'...`);
    expect(result.stdout).toContain("Deleted.");
    // Looked for first (404), created, deleted; and gone from the world, while the scenario's vault stays.
    expect(vaultRequests(result, name)).toEqual([
      "GET 404",
      expect.stringMatching(/^PUT 20[01]$/),
      expect.stringMatching(/^DELETE 20[02]$/),
    ]);
    expect(vaultNames()).not.toContain(name);
    expect(vaultNames()).toContain("kv-msi-samples");
    expect(result.tally).toMatchObject({ imdsTokens: 1, keyVault: 0 });
  });

  it("with the name, group, region and subscription given as flags (no instance metadata needed)", async () => {
    const result = await sample.run([
      "--yes",
      "--vault-name",
      "kv-sample-flags",
      "--resource-group",
      "rg-workshop-data",
      "--location",
      "eastus",
      "--subscription-id",
      sample.emulator.scenario.vm.subscriptionId,
    ]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(
      "Creating Key Vault 'kv-sample-flags' in resource group 'rg-workshop-data' (eastus)...",
    );
    expect(result.tally.imdsMetadata).toBe(0);
    expect(vaultRequests(result, "kv-sample-flags")).toHaveLength(3);
    expect(vaultNames()).not.toContain("kv-sample-flags");
  });

  it("never takes over a vault that exists: exit 2, and the vault is left alone", async () => {
    const result = await sample.run(["--yes", "--vault-name", "kv-msi-samples"]);
    expect(result.status, describeRun(result)).toBe(2);
    expect(result.stderr).toContain(
      "Key Vault 'kv-msi-samples' already exists in resource group 'rg-msi-samples'",
    );
    expect(vaultRequests(result, "kv-msi-samples")).toEqual(["GET 200"]);
    expect(vaultNames()).toContain("kv-msi-samples");
  });
});
