// With latency "realistic" (the demos' `--latency realistic`), long-running operations take a few seconds and say so:
// a deployment goes Accepted, Running, Succeeded with Retry-After on every poll, its storage account is Creating
// meanwhile, and a new vault spends a moment in RegisteringDns while the SDK polls it.
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { armTemplate, storageAccountResource } from "./arm-fixtures.ts";
import { SUBSCRIPTION_ID, TENANT_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

describe("realistic latency", () => {
  let emulator: Emulator;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator({ latency: "realistic" });
    token = await emulator.issueToken({ resource: "https://management.azure.com" });
  });
  afterAll(() => emulator.stop());

  const request = (method: string, path: string, body?: unknown) =>
    httpsThroughProxy(emulator.port, {
      method,
      path,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("keeps a deployment Accepted, then Running, then Succeeded, with Retry-After while it runs", async () => {
    const deploymentPath = `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.Resources/deployments/slow?api-version=2026-06-01`;
    const put = await request("PUT", deploymentPath, {
      properties: {
        mode: "Incremental",
        template: armTemplate({ resources: [storageAccountResource("slowaccount")] }),
      },
    });
    expect(put.status).toBe(201);
    expect(put.headers["retry-after"]).toBe("1");
    expect(put.json).toMatchObject({ properties: { provisioningState: "Accepted" } });
    const statusUrl = new URL(String(put.headers["azure-asyncoperation"]));

    const deploymentStates: string[] = [];
    const accountStates: string[] = [];
    for (;;) {
      const status = await request("GET", `${statusUrl.pathname}${statusUrl.search}`);
      const state = (status.json as { status: string }).status;
      if (deploymentStates.at(-1) !== state) deploymentStates.push(state);
      if (state === "Succeeded" || state === "Failed") break;
      expect(status.headers["retry-after"]).toBe("1");
      const account = await request(
        "GET",
        `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.Storage/storageAccounts/slowaccount?api-version=2026-09-01`,
      );
      const accountState =
        account.status === 200
          ? (account.json as { properties: { provisioningState: string } }).properties.provisioningState
          : "none";
      if (accountStates.at(-1) !== accountState) accountStates.push(accountState);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(deploymentStates).toEqual(["Accepted", "Running", "Succeeded"]);
    expect(accountStates).toEqual(expect.arrayContaining(["Creating"]));
  });

  it("lets the SDK wait for a vault that is still registering its DNS name", async () => {
    const options = clientOptionsFor(emulator);
    const client = new ResourceManagementClient(
      new ManagedIdentityCredential(options),
      SUBSCRIPTION_ID,
      options,
    );
    const vault = await client.resources.createOrUpdate(
      "rg-msi-samples",
      "Microsoft.KeyVault",
      "",
      "vaults",
      "kv-slow-dns",
      "2026-02-01",
      {
        location: "westus2",
        properties: { tenantId: TENANT_ID, sku: { family: "A", name: "standard" } },
      },
    );
    expect(vault.properties?.provisioningState).toBe("Succeeded");
    const vaultRequests = emulator.requests().filter((e) => e.path.includes("/vaults/kv-slow-dns"));
    expect(vaultRequests.map((e) => e.method)).toEqual(expect.arrayContaining(["PUT", "GET"]));
  });
});
