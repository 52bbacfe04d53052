// The Azure CLI (az) against the emulator: the samples' steps, and commands off the samples' path.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO_PATH, type Emulator, startEmulator } from "../../src/index.ts";
import {
  SCENARIO_GROUPS,
  SUBSCRIPTION_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
} from "../support/default-scenario.ts";
import {
  azureCliEnvironment,
  azureCliRequirement,
  type ClientResult,
  expectSuccess,
  freshAzureConfigDir,
  OTHER_CLIENTS_DIR,
  runClient,
} from "./client-processes.ts";

// The real Azure CLI (Debian's azure-cli 2.45) against the emulator, configured only by the environment as a user
// would: managed identity sign-in (system- and user-assigned), resource groups, the sample's template deployment and
// its storage account, a Key Vault secret, and for an identity that is Reader on one group: `az group list` showing
// that group alone, and a group it may not read surfacing as ARM's AuthorizationFailed message.
// Runs when `az` is installed; in CI (CI=true) it must run, and fails if `az` is missing.
const requirement = azureCliRequirement();
const SCRIPTS = path.join(OTHER_CLIENTS_DIR, "azure-cli");
const SCRIPT_TIMEOUT_MS = 180_000;

const cleanups: (() => Promise<void>)[] = [];
/** The file's one AZURE_CONFIG_DIR (see freshAzureConfigDir). */
let configDir = "";

beforeAll(async () => {
  if (requirement.run) configDir = await freshAzureConfigDir(cleanups);
});
afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
});

/** Runs one of the scripts in test/other-clients/azure-cli; its answers are files in a fresh OUT folder. */
async function runScript(
  env: NodeJS.ProcessEnv,
  script: string,
  args: string[] = [],
): Promise<{
  result: ClientResult;
  answer: (file: string) => Promise<unknown>;
  text: (file: string) => Promise<string>;
}> {
  const out = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-az-out-"));
  cleanups.push(() => rm(out, { recursive: true, force: true }));
  const result = await runClient(
    "bash",
    [path.join(SCRIPTS, script), ...args],
    { ...env, OUT: out },
    SCRIPT_TIMEOUT_MS,
  );
  const text = (file: string) => readFile(path.join(out, file), "utf8");
  return { result, text, answer: async (file) => JSON.parse(await text(file)) };
}

describe.runIf(requirement.run)("the Azure CLI against the emulator", () => {
  let emulator: Emulator;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (requirement.missing) throw new Error(requirement.missing);
    emulator = await startEmulator();
    env = azureCliEnvironment(emulator, configDir);
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it(
    "signs in with the system- and user-assigned identities and creates, shows and deletes a resource group",
    async () => {
      emulator.clearRequests();
      const { result, answer, text } = await runScript(env, "sign-in-and-manage-groups.sh", [
        USER_ASSIGNED_CLIENT_ID,
      ]);
      expectSuccess(result, "sign-in-and-manage-groups.sh");

      const login = (await answer("login.json")) as Record<string, unknown>[];
      expect(login).toEqual([
        expect.objectContaining({
          id: SUBSCRIPTION_ID,
          name: "Workshop subscription",
          tenantId: TENANT_ID,
          isDefault: true,
          user: { name: "systemAssignedIdentity", type: "servicePrincipal", assignedIdentityInfo: "MSI" },
        }),
      ]);
      expect(await answer("account.json")).toMatchObject({ id: SUBSCRIPTION_ID, tenantId: TENANT_ID });
      const groups = (await answer("groups.json")) as { name: string }[];
      expect(groups.map((g) => g.name).sort()).toEqual(SCENARIO_GROUPS);
      expect(await answer("group-created.json")).toMatchObject({
        id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-created-by-cli`,
        location: "westus2",
        tags: { origin: "azure-cli" },
        properties: { provisioningState: "Succeeded" },
      });
      expect(await answer("group-shown.json")).toMatchObject({ name: "rg-created-by-cli" });
      expect((await text("group-exists-after-delete.txt")).trim()).toBe("false");

      const userAssigned = (await answer("login-user-assigned.json")) as { user: unknown }[];
      expect(userAssigned[0]?.user).toEqual({
        name: "userAssignedIdentity",
        type: "servicePrincipal",
        assignedIdentityInfo: `MSIClient-${USER_ASSIGNED_CLIENT_ID}`,
      });
      expect(((await answer("groups-user-assigned.json")) as string[]).sort()).toEqual(SCENARIO_GROUPS);

      // What the CLI sent: IMDS's oldest token api-version for ARM's legacy audience, and older ARM api-versions.
      const log = emulator.requests();
      const tokenRequests = log.filter((r) => r.service === "imds" && r.status === 200);
      expect(tokenRequests.length).toBeGreaterThan(0);
      for (const request of tokenRequests) {
        const query = new URL(request.path, "http://imds").searchParams;
        expect(query.get("api-version")).toBe("2018-02-01");
        expect(query.get("resource")).toBe("https://management.core.windows.net/");
      }
      expect(tokenRequests.some((r) => r.path.includes(`client_id=${USER_ASSIGNED_CLIENT_ID}`))).toBe(true);
      const armPaths = log.filter((r) => r.service === "arm").map((r) => `${r.method} ${r.status} ${r.path}`);
      expect(armPaths).toContain("GET 200 /subscriptions?api-version=2019-11-01");
      expect(armPaths).toContain(
        `PUT 201 /subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-created-by-cli?api-version=2021-04-01`,
      );
      expect(log.some((r) => r.status >= 500)).toBe(false);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    "deploys the sample's template, with its parameters file, and reads the storage account it created",
    async () => {
      const { result, answer } = await runScript(env, "deploy-template.sh");
      expectSuccess(result, "deploy-template.sh");

      const deployment = (await answer("deployment.json")) as {
        properties: { provisioningState: string; outputs: Record<string, { value: string }> };
      };
      expect(deployment.properties.provisioningState).toBe("Succeeded");
      const accountName = deployment.properties.outputs.storageAccountName?.value ?? "";
      // The template's default name: format('msisample{0}', uniqueString(resourceGroup().id)).
      expect(accountName).toMatch(/^msisample[a-z0-9]{13}$/);
      expect(await answer("storage-account.json")).toMatchObject({
        name: accountName,
        kind: "StorageV2",
        sku: { name: "Standard_LRS" },
        provisioningState: "Succeeded",
        primaryEndpoints: { blob: `https://${accountName}.blob.core.windows.net/` },
      });
      const accounts = (await answer("storage-accounts.json")) as { name: string }[];
      expect(accounts.map((a) => a.name)).toContain(accountName);
      const keys = (await answer("storage-keys.json")) as { keyName: string; value: string }[];
      expect(keys.map((k) => k.keyName)).toEqual(["key1", "key2"]);

      const commented = (await answer("commented-deployment.json")) as {
        properties: { provisioningState: string; outputs: Record<string, { value: string }> };
      };
      expect(commented.properties.provisioningState).toBe("Succeeded");
      expect(commented.properties.outputs.message?.value).toBe("Hello from rg-msi-samples");
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    "reads the sample secret from Key Vault with the CLI's managed-identity token",
    async () => {
      emulator.clearRequests();
      const { result, answer, text } = await runScript(env, "read-secret.sh");
      expectSuccess(result, "read-secret.sh");

      expect((await text("vault-uri.txt")).trim()).toBe("https://kv-msi-samples.vault.azure.net/");
      const secret = (await answer("secret.json")) as { id: string; value: string };
      expect(secret.id).toMatch(/^https:\/\/kv-msi-samples\.vault\.azure\.net\/secrets\/sample-secret\/\w+$/);
      expect(secret.value).toBe(
        emulator.scenario.keyVaults.find((v) => v.name === "kv-msi-samples")?.secrets[0]?.value,
      );
      const log = emulator.requests();
      expect(
        log.some(
          (r) =>
            r.service === "imds" &&
            r.status === 200 &&
            new URL(r.path, "http://imds").searchParams.get("resource") === "https://vault.azure.net",
        ),
      ).toBe(true);
      expect(log).toContainEqual(
        expect.objectContaining({
          service: "keyvault",
          method: "GET",
          status: 200,
          path: "/secrets/sample-secret?api-version=7.3",
        }),
      );
    },
    SCRIPT_TIMEOUT_MS,
  );
});

describe.runIf(requirement.run)(
  "the Azure CLI when the identity is Reader on one resource group only",
  () => {
    let emulator: Emulator;
    let env: NodeJS.ProcessEnv;

    beforeAll(async () => {
      if (requirement.missing) throw new Error(requirement.missing);
      emulator = await startEmulator({
        scenario: path.join(path.dirname(DEFAULT_SCENARIO_PATH), "missing-role.json"),
      });
      env = azureCliEnvironment(emulator, configDir);
      // One sign-in for both tests; each then runs the one command it is about.
      expectSuccess(
        await runClient("az", ["login", "--identity", "--output", "none"], env, SCRIPT_TIMEOUT_MS),
        "az login --identity",
      );
    }, SCRIPT_TIMEOUT_MS);

    afterAll(async () => {
      await emulator?.stop();
    });

    it(
      "lists the one group its role covers with az group list, as Azure answers 200 with what the caller may read",
      async () => {
        const result = await runClient(
          "az",
          ["group", "list", "--query", "[].name", "--output", "json"],
          env,
          SCRIPT_TIMEOUT_MS,
        );
        expectSuccess(result, "az group list");
        expect(JSON.parse(result.stdout)).toEqual(["rg-msi-samples"]);
      },
      SCRIPT_TIMEOUT_MS,
    );

    it(
      "prints ARM's AuthorizationFailed message for another group and exits with status 1",
      async () => {
        const result = await runClient(
          "az",
          ["group", "show", "--name", "rg-workshop-data", "--output", "json"],
          env,
          SCRIPT_TIMEOUT_MS,
        );
        expect(result.status).toBe(1);
        expect(result.stderr).toContain("(AuthorizationFailed)");
        expect(result.stderr).toContain(
          `The client '${emulator.world.identities.find((i) => i.kind === "system")?.clientId}' with object id '${SYSTEM_PRINCIPAL_ID}' does not have authorization to perform action 'Microsoft.Resources/subscriptions/resourcegroups/read' over scope '/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-workshop-data' or the scope is invalid.`,
        );
      },
      SCRIPT_TIMEOUT_MS,
    );
  },
);

// The real Azure CLI (Debian's azure-cli 2.45) one step off the samples' path, where the emulator must answer as
// Azure does: `az provider show` and `az resource show --ids` without --api-version (the providers API), a vault's
// soft-delete life (`az keyvault delete`, `list-deleted`, `show-deleted`, `recover`, `purge`), a malformed
// subscription ID. (`az group list` for an identity with a role on one group only: the first describe of this file.)
// Runs when `az` is installed; in CI (CI=true) it must run, and fails if `az` is missing.
const OFF_PATH_SCRIPT_TIMEOUT_MS = 240_000;
const VAULT_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.KeyVault/vaults/kv-msi-samples`;

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
        azureCliEnvironment(emulator, configDir, { OUT: out }),
        OFF_PATH_SCRIPT_TIMEOUT_MS,
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
    OFF_PATH_SCRIPT_TIMEOUT_MS,
  );
});
