// The real Azure CLI (Debian's azure-cli 2.45) one step off the samples' path, where the emulator must answer as
// Azure does: `az provider show` and `az resource show --ids` without --api-version (the providers API), a vault's
// soft-delete life (`az keyvault delete`, `list-deleted`, `show-deleted`, `recover`, `purge`), a malformed
// subscription ID. (`az group list` for an identity with a role on one group only: other-clients.azure-cli.test.ts.)
// Runs when `az` is installed; in CI (CI=true) it must run, and fails if `az` is missing.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import {
  azureCliEnvironment,
  azureCliRequirement,
  expectSuccess,
  OTHER_CLIENTS_DIR,
  runClient,
} from "./other-clients/client-processes.ts";

const requirement = azureCliRequirement();
const SCRIPT_TIMEOUT_MS = 240_000;
const VAULT_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.KeyVault/vaults/kv-msi-samples`;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

describe.runIf(requirement.run)("the Azure CLI off the samples' path", () => {
  let emulator: Emulator;

  beforeAll(async () => {
    if (requirement.missing) throw new Error(requirement.missing);
    emulator = await startEmulator();
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it(
    "shows a provider, resolves a resource's api-version from it, and takes a vault through soft delete, recovery and purge",
    async () => {
      const out = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-az-out-"));
      cleanups.push(() => rm(out, { recursive: true, force: true }));
      const result = await runClient(
        "bash",
        [path.join(OTHER_CLIENTS_DIR, "azure-cli", "providers-and-soft-deleted-vault.sh")],
        await azureCliEnvironment(emulator, cleanups, { OUT: out }),
        SCRIPT_TIMEOUT_MS,
      );
      expectSuccess(result, "providers-and-soft-deleted-vault.sh");
      const answer = async (file: string) => JSON.parse(await readFile(path.join(out, file), "utf8"));

      const provider = await answer("provider.json");
      expect(provider).toMatchObject({
        id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.KeyVault`,
        namespace: "Microsoft.KeyVault",
        registrationState: "Registered",
      });
      const vaults = provider.resourceTypes.find(
        (t: { resourceType: string }) => t.resourceType === "vaults",
      );
      expect(vaults.locations).toContain("West US 2");
      expect(vaults.apiVersions.length).toBeGreaterThan(3);
      expect(await answer("resource.json")).toMatchObject({
        id: VAULT_ID,
        type: "Microsoft.KeyVault/vaults",
      });

      const deleted = await answer("deleted.json");
      expect(deleted).toEqual([
        {
          id: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.KeyVault/locations/westus2/deletedVaults/kv-msi-samples`,
          name: "kv-msi-samples",
          type: "Microsoft.KeyVault/deletedVaults",
          properties: expect.objectContaining({
            vaultId: VAULT_ID,
            location: "westus2",
            purgeProtectionEnabled: false,
          }),
        },
      ]);
      // Kept for the vault's retention period (90 days by default).
      const { deletionDate, scheduledPurgeDate } = deleted[0].properties;
      expect(Date.parse(scheduledPurgeDate) - Date.parse(deletionDate)).toBe(90 * 86_400_000);
      expect(await answer("show-deleted.json")).toMatchObject({ name: "kv-msi-samples" });
      expect(await answer("recovered.json")).toMatchObject({ id: VAULT_ID });
      expect(await answer("deleted-after-purge.json")).toEqual([]);
      expect(await readFile(path.join(out, "malformed-subscription.txt"), "utf8")).toContain(
        "The provided subscription identifier 'not-a-guid' is malformed or invalid.",
      );

      const arm = emulator
        .requests()
        .filter((r) => r.service === "arm")
        .map((r) => `${r.method} ${r.status} ${r.path.split("?")[0]}`);
      // az resource show --ids without --api-version asks the provider for one first.
      expect(arm).toContain(`GET 200 /subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.KeyVault`);
      expect(arm).toContain(
        `POST 202 /subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.KeyVault/locations/westus2/deletedVaults/kv-msi-samples/purge`,
      );
      expect(arm).toContain("GET 400 /subscriptions/not-a-guid/resourcegroups");
      // Purged: the name is free for a new vault.
      expect(emulator.world.getResource(VAULT_ID)).toBeUndefined();
    },
    SCRIPT_TIMEOUT_MS,
  );
});
