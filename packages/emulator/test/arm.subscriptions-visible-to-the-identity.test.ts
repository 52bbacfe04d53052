// Subscriptions with the real SubscriptionClient: only those where the identity holds a role, paged with nextLink.
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { HIDDEN_SUBSCRIPTION_ID, SUBSCRIPTION_ID, TENANT_ID } from "./default-scenario.ts";

describe("subscriptions", () => {
  let emulator: Emulator;
  let client: SubscriptionClient;
  beforeAll(async () => {
    emulator = await startEmulator({ pageSize: 1 });
    const options = clientOptionsFor(emulator);
    client = new SubscriptionClient(new ManagedIdentityCredential(options), options);
  });
  afterAll(() => emulator.stop());

  it("lists only the subscription the identity has a role in", async () => {
    const subscriptions = [];
    for await (const s of client.subscriptions.list()) subscriptions.push(s);
    expect(subscriptions).toHaveLength(1);
    expect(subscriptions[0]).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTION_ID}`,
      subscriptionId: SUBSCRIPTION_ID,
      displayName: "Workshop subscription",
      tenantId: TENANT_ID,
      state: "Enabled",
      authorizationSource: "RoleBased",
      subscriptionPolicies: { quotaId: "PayAsYouGo_2014-09-01", spendingLimit: "Off" },
    });
  });

  it("gets a visible subscription; an invisible one is not found", async () => {
    expect((await client.subscriptions.get(SUBSCRIPTION_ID)).displayName).toBe("Workshop subscription");
    await expect(client.subscriptions.get(HIDDEN_SUBSCRIPTION_ID)).rejects.toMatchObject({
      statusCode: 404,
      code: "SubscriptionNotFound",
      message: `The subscription '${HIDDEN_SUBSCRIPTION_ID}' could not be found.`,
    });
  });

  it("lists tenants and follows nextLink across pages of locations-free lists", async () => {
    const tenants = [];
    for await (const t of client.tenants.list()) tenants.push(t);
    expect(tenants[0]).toMatchObject({ tenantId: TENANT_ID });
  });
});

describe("subscription paging", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const { readFile } = await import("node:fs/promises");
    const { DEFAULT_SCENARIO_PATH } = await import("../src/index.ts");
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    // Give the identity a role in the second subscription too, so there are two pages.
    scenario.roleAssignments.push({
      principal: "system",
      role: "Reader",
      scope: `/subscriptions/${HIDDEN_SUBSCRIPTION_ID}`,
    });
    emulator = await startEmulator({ scenario, pageSize: 1 });
  });
  afterAll(() => emulator.stop());

  it("follows nextLink to the second page", async () => {
    const options = clientOptionsFor(emulator);
    // A fixed token: this process's IMDS client is bound to the first emulator (msal-node keeps it per process).
    const token = await emulator.issueToken({ resource: "https://management.azure.com" });
    const client = new SubscriptionClient(
      { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
      options,
    );
    const ids: string[] = [];
    for await (const s of client.subscriptions.list()) ids.push(s.subscriptionId ?? "");
    expect(ids.sort()).toEqual([SUBSCRIPTION_ID, HIDDEN_SUBSCRIPTION_ID].sort());
    expect(emulator.requests().filter((e) => e.path.includes("skiptoken"))).toHaveLength(1);
  });
});
