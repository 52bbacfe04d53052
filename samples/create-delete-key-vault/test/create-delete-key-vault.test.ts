// create-delete-key-vault end to end against the emulator: the vault it creates and deletes, as which identity,
// with a missing role or none, on bad input, and through IMDS faults (those tests wait on retries, concurrently).

import {
  defaultScenarioWith,
  describeRun,
  expectIdentityNotOnVm,
  expectRejectedBeforeAnyRequest,
  expectRoleAssignmentHint,
  expectSignedInWithSelector,
  imdsGoneBriefly,
  MISSING_ROLE_SCENARIO,
  type SampleAgainstEmulator,
  type SampleTestRun,
  sampleAgainstEmulator,
  sampleWithOwnEmulator,
  tokenRequestStatuses,
  userAssignedSelectors,
  vmSettingFlags,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

// Two halves that run side by side: the tests below take turns (each run's requests are read from its describe
// block's emulator, so runs against one emulator must not overlap), while the fault tests further down wait on
// retries, each against an emulator of its own.
describe.concurrent("create-delete-key-vault", () => {
  describe("one run at a time", { concurrent: false }, () => {
    // The sample creates a Key Vault as a generic resource (tenant from the token), prints it, and deletes it: the vault
    // is gone from the emulator afterwards, and vaults it did not create are never touched.
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

    // --client-id, --object-id and --resource-id each create and delete the vault as the user-assigned identity, with
    // the matching IMDS query parameter; an identity not on the VM is explained (exit 1) and nothing is created.
    describe("create-delete-key-vault works as the identity a selector names", () => {
      const sample = sampleAgainstEmulator("create-delete-key-vault");

      it.each(userAssignedSelectors(sample))(
        "$flag sends $parameter to IMDS, creates and deletes",
        async (selector) => {
          const { user } = sample.identities;
          const result = await sample.run(["--yes", selector.flag, selector.value()]);
          expectSignedInWithSelector(result, { selector, user });
          const changes = result.requests.filter(
            (e) => e.service === "arm" && ["PUT", "DELETE"].includes(e.method),
          );
          expect(changes.map((e) => e.method)).toEqual(["PUT", "DELETE"]);
          expect(new Set(changes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
        },
      );

      it("a client ID that names no identity on the VM: exit 1, and no vault is created", async () => {
        const unknown = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
        expectIdentityNotOnVm(await sample.run(["--yes", "--client-id", unknown]), {
          flag: "--client-id",
          value: unknown,
        });
      });
    });

    // Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it on
    // the resource group, and no vault is created.
    describe("create-delete-key-vault with an identity that may only read the resource group", () => {
      const sample = sampleAgainstEmulator("create-delete-key-vault", { scenario: MISSING_ROLE_SCENARIO });

      it("exits 1 with the command that grants Contributor on the group", async () => {
        const { vm } = sample.emulator.scenario;
        const result = await sample.run(["--yes", "--verbose"]);
        expectRoleAssignmentHint(result, {
          objectId: sample.identities.system.principalId,
          role: "Contributor",
          scope: new RegExp(`/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}`, "i"),
        });
        const vaults = sample.emulator.world
          .listResources({ type: "Microsoft.KeyVault/vaults" })
          .map((v) => v.name);
        expect(vaults).toEqual(["kv-msi-samples"]);
      });
    });

    // With no role at all, the check that the new vault's name is free is denied first: the hint names Contributor on the
    // resource group, which creating the vault needs, not a role on a vault that does not exist (and whose random name
    // the next run will not reuse).
    describe("create-delete-key-vault with an identity that has no role", () => {
      const sample = sampleAgainstEmulator("create-delete-key-vault", {
        scenario: defaultScenarioWith((scenario) => {
          scenario.roleAssignments = [];
        }),
      });

      it("exits 1 with the command that grants Contributor on the group, not a role on the vault", async () => {
        const { vm } = sample.emulator.scenario;
        const result = await sample.run(["--yes"]);
        expectRoleAssignmentHint(result, {
          objectId: sample.identities.system.principalId,
          role: "Contributor",
          scope: new RegExp(`/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}`, "i"),
        });
        expect(result.stderr).not.toMatch(/--scope "[^"]*\/vaults\//i);
      });
    });

    // A run nobody can confirm (no --yes, no terminal), a vault name Azure would refuse, or a region written as a
    // display name stop the sample with exit 2 and a message naming the setting, before any request.
    describe("create-delete-key-vault rejects bad input before any request", () => {
      const sample = sampleAgainstEmulator("create-delete-key-vault");

      it("not on a terminal and no --yes", async () => {
        expectRejectedBeforeAnyRequest(await sample.run(), "--yes");
      });

      it("a vault name Azure would refuse", async () => {
        const result = await sample.run(["--yes", "--vault-name", "1st-vault"]);
        expectRejectedBeforeAnyRequest(result, "--vault-name", "'1st-vault'");
      });

      it("a region written as a display name", async () => {
        const result = await sample.run([
          "--yes",
          ...vmSettingFlags(sample.emulator, { location: "West US 2" }),
        ]);
        expectRejectedBeforeAnyRequest(result, "--location", "'West US 2'");
      });

      it("an object ID that is not a GUID", async () => {
        const result = await sample.run(["--yes", "--object-id", "12345"]);
        expectRejectedBeforeAnyRequest(result, "--object-id", "12345");
      });
    });
  });
});

// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried: the vault is created and deleted
// and the sample exits 0.
describe.concurrent("create-delete-key-vault recovers from transient IMDS faults", () => {
  const allSettings = (sample: SampleAgainstEmulator) => ["--yes", ...vmSettingFlags(sample.emulator)];

  it("IMDS 500 once on the token request", async (context) => {
    const sample = await sampleWithOwnEmulator("create-delete-key-vault", context);
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await sample.run(allSettings(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second", async (context) => {
    const sample = await sampleWithOwnEmulator("create-delete-key-vault", context);
    imdsGoneBriefly(sample.emulator, { forMs: 500, context });
    const result = await sample.run(allSettings(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)[0]).toBe(410);
  });
});
