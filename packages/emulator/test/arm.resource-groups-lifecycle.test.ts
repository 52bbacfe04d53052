// Resource groups with the real ResourceManagementClient: create 201 / update 200, get, patch, HEAD 204/404,
// delete as a long-running operation, list with $top + nextLink and $filter on tags.
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { SCENARIO_GROUPS, SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

describe("resource groups", () => {
  let emulator: Emulator;
  let client: ResourceManagementClient;
  let token: string;
  beforeAll(async () => {
    emulator = await startEmulator();
    const options = clientOptionsFor(emulator);
    const credential = new ManagedIdentityCredential(options);
    client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
    token = (await credential.getToken("https://management.azure.com/.default")).token;
  });
  afterAll(() => emulator.stop());

  const statusesOf = (method: string, pathPart: string) =>
    emulator
      .requests()
      .filter(
        (e) =>
          e.service === "arm" && e.method === method && e.path.toLowerCase().includes(pathPart.toLowerCase()),
      )
      .map((e) => e.status);

  it("creates (201), updates (200), gets and patches a group", async () => {
    const created = await client.resourceGroups.createOrUpdate("rg-created", {
      location: "West US 2",
      tags: { a: "1" },
    });
    expect(created).toMatchObject({
      id: `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-created`,
      name: "rg-created",
      type: "Microsoft.Resources/resourceGroups",
      location: "westus2",
      tags: { a: "1" },
      properties: { provisioningState: "Succeeded" },
    });
    await client.resourceGroups.createOrUpdate("rg-created", { location: "westus2", tags: { a: "2" } });
    expect(statusesOf("PUT", "/resourcegroups/rg-created")).toEqual([201, 200]);
    const patched = await client.resourceGroups.update("rg-created", { tags: { b: "3" } });
    expect(patched.tags).toEqual({ b: "3" });
    expect((await client.resourceGroups.get("RG-CREATED")).tags).toEqual({ b: "3" });
  });

  it("refuses to move a group to another location, and requires one", async () => {
    await expect(
      client.resourceGroups.createOrUpdate("rg-msi-samples", { location: "eastus" }),
    ).rejects.toMatchObject({
      statusCode: 409,
      code: "InvalidResourceGroupLocation",
      message:
        "Invalid resource group location 'eastus'. The Resource group already exists in location 'westus2'.",
    });
    const response = await httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-nowhere?api-version=2025-04-01`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ tags: {} }),
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "LocationRequired" } });
  });

  it("answers checkExistence with 204 or 404 only", async () => {
    expect(await client.resourceGroups.checkExistence("rg-msi-samples")).toEqual({ body: true });
    expect(await client.resourceGroups.checkExistence("rg-does-not-exist")).toEqual({ body: false });
    expect(statusesOf("HEAD", "/resourcegroups/rg-")).toEqual([204, 404]);
  });

  it("answers ResourceGroupNotFound for a group that does not exist", async () => {
    await expect(client.resourceGroups.get("rg-missing")).rejects.toMatchObject({
      statusCode: 404,
      code: "ResourceGroupNotFound",
      message: "Resource group 'rg-missing' could not be found.",
    });
  });

  it("deletes a group as a long-running operation (202 + Location, polled to completion)", async () => {
    await client.resourceGroups.createOrUpdate("rg-to-delete", { location: "westus2" });
    const poller = client.resourceGroups.delete("rg-to-delete", { updateIntervalInMs: 0 });
    await poller;
    expect(statusesOf("DELETE", "/resourcegroups/rg-to-delete")).toEqual([202]);
    expect(statusesOf("GET", "/operationresults/")).toContain(200);
    expect(await client.resourceGroups.checkExistence("rg-to-delete")).toEqual({ body: false });
  });

  it("pages with $top and nextLink built from the request's host", async () => {
    const names: string[] = [];
    let pages = 0;
    for await (const page of client.resourceGroups.list({ top: 1 }).byPage()) {
      pages++;
      for (const group of page) names.push(group.name ?? "");
    }
    expect(names).toEqual(expect.arrayContaining(SCENARIO_GROUPS));
    expect(pages).toBe(names.length);
    const followed = emulator.requests().filter((e) => e.path.includes("skiptoken"));
    expect(followed.length).toBe(pages - 1);
  });

  it("filters on tags", async () => {
    const names: string[] = [];
    for await (const group of client.resourceGroups.list({
      filter: "tagName eq 'environment' and tagValue eq 'workshop'",
    })) {
      names.push(group.name ?? "");
    }
    expect(names.sort()).toEqual(["rg-msi-samples", "rg-workshop-network"]);
  });

  it("matches paths case-insensitively with // collapsed, and requires api-version", async () => {
    const headers = { authorization: `Bearer ${token}` };
    const odd = await httpsThroughProxy(emulator.port, {
      path: `//Subscriptions/${SUBSCRIPTION_ID}//ResourceGroups/rg-msi-samples?api-version=2016-09-01`,
      headers,
    });
    expect(odd.status).toBe(200);
    const noVersion = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups`,
      headers,
    });
    expect(noVersion.status).toBe(400);
    expect(noVersion.json).toEqual({
      error: {
        code: "MissingApiVersionParameter",
        message: "The api-version query parameter (?api-version=) is required for all requests.",
      },
    });
    expect(noVersion.headers["x-ms-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(noVersion.headers["x-ms-correlation-request-id"]).toBeDefined();
    expect(odd.headers["x-ms-ratelimit-remaining-subscription-reads"]).toMatch(/^\d+$/);
  });

  it("lists role assignments under Microsoft.Authorization", async () => {
    const response = await httpsThroughProxy(emulator.port, {
      path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleAssignments?api-version=2022-04-01`,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    const value = (response.json as { value: { properties: { roleDefinitionId: string; scope: string } }[] })
      .value;
    expect(value.map((a) => a.properties.roleDefinitionId)).toContain(
      `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`,
    );
  });
});
