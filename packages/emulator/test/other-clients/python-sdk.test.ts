// The real Python Azure SDK (Debian's python3-azure: azure-identity 1.13, azure-mgmt-resource 22, azure-mgmt-storage,
// azure-keyvault-secrets 4.7) against the emulator, configured only by the environment: ManagedIdentityCredential and
// DefaultAzureCredential, subscriptions and resource groups, the sample's template deployment, Key Vault get and set,
// and a missing Key Vault role surfacing as Key Vault's Forbidden message.
// Runs when python3-azure is installed; in CI (CI=true) it must run, and fails if it is missing.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/index.ts";
import {
  SCENARIO_GROUPS,
  SUBSCRIPTION_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
} from "../support/default-scenario.ts";
import { scenarioWith, vaultResourceId } from "../support/keyvault-fixtures.ts";
import {
  type ClientResult,
  DEBIAN_PYTHON,
  emulatorEnvironment,
  expectSuccess,
  OTHER_CLIENTS_DIR,
  pythonAzureInstalled,
  runClient,
  toolRequirement,
} from "./client-processes.ts";

const requirement = toolRequirement({
  name: "Debian's Python Azure SDK (python3-azure for /usr/bin/python3)",
  installed: pythonAzureInstalled(),
  install: "apt-get install python3-azure (.ci/run does this as root)",
});
const PROGRAM_TIMEOUT_MS = 120_000;

describe.runIf(requirement.run)("the Python Azure SDK against the emulator", () => {
  let emulator: Emulator;
  let secretValue: string;

  /** Runs one of the programs in test/other-clients/python; each prints one JSON object. */
  async function runProgram(program: string, args: string[] = []): Promise<ClientResult & { json: unknown }> {
    const result = await runClient(
      DEBIAN_PYTHON,
      [path.join(OTHER_CLIENTS_DIR, "python", program), ...args],
      emulatorEnvironment(emulator),
      PROGRAM_TIMEOUT_MS,
    );
    let json: unknown;
    try {
      json = JSON.parse(result.stdout);
    } catch {
      json = undefined;
    }
    return { ...result, json };
  }

  beforeAll(async () => {
    if (requirement.missing) throw new Error(requirement.missing);
    // The default world, where the user-assigned identity may also write secrets (the system-assigned one may not).
    emulator = await startEmulator({
      scenario: await scenarioWith({
        roleAssignments: [
          {
            principal: "id-msi-samples",
            role: "Key Vault Secrets Officer",
            scope: vaultResourceId("kv-msi-samples"),
          },
        ],
      }),
    });
    secretValue =
      emulator.scenario.keyVaults.find((v) => v.name === "kv-msi-samples")?.secrets[0]?.value ?? "";
  });

  afterAll(async () => {
    await emulator?.stop();
  });

  it(
    "ManagedIdentityCredential lists subscriptions and resource groups and reads a secret",
    async () => {
      emulator.clearRequests();
      const run = await runProgram("list_groups_and_read_secret.py");
      expectSuccess(run, "list_groups_and_read_secret.py");
      expect(run.json).toEqual({
        subscriptions: [{ id: SUBSCRIPTION_ID, name: "Workshop subscription", tenantId: TENANT_ID }],
        groups: SCENARIO_GROUPS,
        secret: { name: "sample-secret", value: secretValue, version: expect.any(String) },
      });

      const log = emulator.requests();
      const imds = log.filter((r) => r.service === "imds");
      // azure-identity 1.13 first sends the token request without the Metadata header to see whether IMDS answers.
      expect(imds[0]).toMatchObject({ status: 400, error: "invalid_request" });
      expect(
        imds
          .filter((r) => r.status === 200)
          .map((r) => new URL(r.path, "http://imds").searchParams.get("resource")),
      ).toEqual(["https://management.azure.com", "https://vault.azure.net"]);
      const sent = log
        .filter((r) => r.service !== "imds")
        .map((r) => `${r.method} ${r.status} ${r.host}${r.path}`);
      expect(sent).toEqual([
        "GET 200 management.azure.com/subscriptions?api-version=2021-01-01",
        `GET 200 management.azure.com/subscriptions/${SUBSCRIPTION_ID}/resourcegroups?api-version=2022-09-01`,
        // The Key Vault challenge: the first request has no token, the second carries one for https://vault.azure.net.
        "GET 401 kv-msi-samples.vault.azure.net/secrets/sample-secret/?api-version=7.3",
        "GET 200 kv-msi-samples.vault.azure.net/secrets/sample-secret/?api-version=7.3",
      ]);
    },
    PROGRAM_TIMEOUT_MS,
  );

  it(
    "DefaultAzureCredential finds the managed identity and does the same",
    async () => {
      const run = await runProgram("list_groups_and_read_secret.py", ["--credential", "default"]);
      expectSuccess(run, "list_groups_and_read_secret.py --credential default");
      expect(run.json).toMatchObject({ groups: SCENARIO_GROUPS, secret: { value: secretValue } });
    },
    PROGRAM_TIMEOUT_MS,
  );

  it(
    "deploys the sample's template and reads the storage account through azure-mgmt-storage",
    async () => {
      const run = await runProgram("deploy_template.py");
      expectSuccess(run, "deploy_template.py");
      const result = run.json as {
        provisioningState: string;
        outputs: Record<string, { value: string }>;
        storageAccount: Record<string, string>;
        keyNames: string[];
      };
      expect(result.provisioningState).toBe("Succeeded");
      const name = result.outputs.storageAccountName?.value ?? "";
      expect(name).toMatch(/^msisample[a-z0-9]{13}$/);
      expect(result.storageAccount).toEqual({
        id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.Storage/storageAccounts/${name}`,
        name,
        kind: "StorageV2",
        sku: "Standard_LRS",
        blobEndpoint: `https://${name}.blob.core.windows.net/`,
      });
      expect(result.keyNames).toEqual(["key1", "key2"]);
    },
    PROGRAM_TIMEOUT_MS,
  );

  it(
    "a user-assigned identity with Key Vault Secrets Officer sets a secret and reads it back",
    async () => {
      const run = await runProgram("set_secret.py", [
        "--client-id",
        USER_ASSIGNED_CLIENT_ID,
        "--name",
        "written-by-python",
        "--value",
        "from azure-keyvault-secrets",
      ]);
      expectSuccess(run, "set_secret.py");
      const result = run.json as { written: { id: string; version: string }; read: Record<string, string> };
      expect(result.written.id).toBe(
        `https://kv-msi-samples.vault.azure.net/secrets/written-by-python/${result.written.version}`,
      );
      expect(result.read).toEqual({
        value: "from azure-keyvault-secrets",
        version: result.written.version,
        contentType: "text/plain",
      });
    },
    PROGRAM_TIMEOUT_MS,
  );

  it(
    "the system-assigned identity, only Key Vault Secrets User, gets Key Vault's Forbidden message",
    async () => {
      const run = await runProgram("set_secret.py", ["--name", "not-allowed", "--value", "x"]);
      expect(run.status).toBe(2);
      const { error } = run.json as { error: { status: number; code: string; message: string } };
      expect(error.status).toBe(403);
      expect(error.code).toBe("Forbidden");
      expect(error.message).toContain("(Forbidden) Caller is not authorized to perform action on resource.");
      expect(error.message).toContain(`oid=${SYSTEM_PRINCIPAL_ID}`);
      expect(error.message).toContain("Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'");
    },
    PROGRAM_TIMEOUT_MS,
  );
});
