// The instance metadata service: its token endpoint as IMDS answers, several user-assigned identities needing a
// selector, a token that lists resource groups through the proxy, and answers as the VM it is switched to.

import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  clientOptionsFor,
  DEFAULT_SCENARIO_PATH,
  type Emulator,
  ScenarioError,
  startEmulator,
  VirtualMachineNotFoundError,
} from "../../src/index.ts";
import { defaultScenarioWith } from "../support/arm-fixtures.ts";
import {
  SCENARIO_GROUPS,
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  TENANT_ID,
  USER_ASSIGNED_CLIENT_ID,
  USER_ASSIGNED_PRINCIPAL_ID,
  USER_ASSIGNED_RESOURCE_ID,
  VM_RESOURCE_ID,
} from "../support/default-scenario.ts";
import { startEmulatorOnFilePort } from "../support/file-proxy-port.ts";
import { decodeJwtPayload, httpsThroughProxy, originFormHttp, proxiedHttp } from "../support/raw-requests.ts";

// IMDS token endpoint details, checked with raw requests through the proxy (what the SDK hides) and the real SDK.
const TOKEN_URL = "http://169.254.169.254/metadata/identity/oauth2/token";
const ARM = "https://management.azure.com/";

describe("IMDS token endpoint", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
  });
  afterAll(() => emulator.stop());

  it("answers with every field as a string, expires_on in the future and resource echoed", async () => {
    const response = await proxiedHttp(
      emulator.port,
      `${TOKEN_URL}?api-version=2018-02-01&resource=${encodeURIComponent(ARM)}`,
      {
        Metadata: "true",
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const body = response.json as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(
      [
        "access_token",
        "client_id",
        "expires_in",
        "expires_on",
        "ext_expires_in",
        "not_before",
        "resource",
        "token_type",
      ].sort(),
    );
    for (const value of Object.values(body)) expect(typeof value).toBe("string");
    expect(body.resource).toBe(ARM);
    expect(body.token_type).toBe("Bearer");
    expect(body.client_id).toBe(SYSTEM_CLIENT_ID);
    expect(Number(body.expires_on)).toBeGreaterThan(Date.now() / 1000 + 3600);

    const claims = decodeJwtPayload(String(body.access_token));
    expect(claims).toMatchObject({
      aud: ARM,
      iss: `https://sts.windows.net/${TENANT_ID}/`,
      tid: TENANT_ID,
      oid: SYSTEM_PRINCIPAL_ID,
      sub: SYSTEM_PRINCIPAL_ID,
      appid: SYSTEM_CLIENT_ID,
      idtyp: "app",
      ver: "1.0",
      xms_mirid: VM_RESOURCE_ID,
      exp: Number(body.expires_on),
      nbf: Number(body.not_before),
    });
    expect(typeof claims.uti).toBe("string");
    expect(typeof claims.iat).toBe("number");
  });

  it("rejects a request without the Metadata header with IMDS's own error", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01&resource=${ARM}`);
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: "invalid_request",
      error_description: "Required metadata header not specified",
    });
  });

  it("answers the legacy DefaultAzureCredential probe (no query, no header) with an HTTP error, as IMDS does", async () => {
    const response = await proxiedHttp(emulator.port, TOKEN_URL);
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("rejects X-Forwarded-For", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01&resource=${ARM}`, {
      Metadata: "true",
      "X-Forwarded-For": "10.0.0.9",
    });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("requires api-version and lists the newest versions", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?resource=${ARM}`, { Metadata: "true" });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error:
        "Bad request. api-version is invalid or was not specified in the request. For more information refer to aka.ms/azureimds",
      "newest-versions": ["2025-04-07", "2024-07-17", "2024-03-15"],
    });
  });

  it("requires resource", async () => {
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?api-version=2018-02-01`, {
      Metadata: "true",
    });
    expect(response.status).toBe(400);
    expect(response.json).toEqual({
      error: "invalid_request",
      error_description: "Required query variable 'resource' is missing",
    });
  });

  it("accepts at most one of client_id, object_id and msi_res_id", async () => {
    const query = `api-version=2018-02-01&resource=${ARM}&client_id=${USER_ASSIGNED_CLIENT_ID}&object_id=${USER_ASSIGNED_PRINCIPAL_ID}`;
    const response = await proxiedHttp(emulator.port, `${TOKEN_URL}?${query}`, { Metadata: "true" });
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: "invalid_request" });
  });

  it("serves origin-form /metadata on the proxy port too, with a trailing slash (AZURE_POD_IDENTITY_AUTHORITY_HOST)", async () => {
    const response = await originFormHttp(
      emulator.port,
      `/metadata/identity/oauth2/token/?api-version=2018-02-01&resource=${ARM}`,
      {
        Metadata: "true",
      },
    );
    expect(response.status).toBe(200);
    expect((response.json as { resource: string }).resource).toBe(ARM);
  });

  it("selects the user-assigned identity by client_id, object_id or msi_res_id (real SDK)", async () => {
    const options = clientOptionsFor(emulator);
    const selectors = [
      { clientId: USER_ASSIGNED_CLIENT_ID },
      { objectId: USER_ASSIGNED_PRINCIPAL_ID },
      { resourceId: USER_ASSIGNED_RESOURCE_ID },
    ];
    for (const selector of selectors) {
      const token = await new ManagedIdentityCredential({ ...selector, ...options }).getToken(
        "https://vault.azure.net/.default",
      );
      const claims = decodeJwtPayload(token.token);
      expect(claims).toMatchObject({
        oid: USER_ASSIGNED_PRINCIPAL_ID,
        appid: USER_ASSIGNED_CLIENT_ID,
        xms_mirid: USER_ASSIGNED_RESOURCE_ID,
      });
      expect(claims.xms_az_rid).toBe(VM_RESOURCE_ID);
    }
  });

  it("answers 400 'Identity not found' for an identity the VM does not have (real SDK, no 404 retries)", async () => {
    const credential = new ManagedIdentityCredential({
      clientId: "00000000-1111-2222-3333-444444444444",
      ...clientOptionsFor(emulator),
    });
    await expect(credential.getToken("https://management.azure.com/.default")).rejects.toThrow(
      /Identity not found/,
    );
    const failed = emulator.requests().filter((e) => e.service === "imds" && e.status === 400);
    expect(failed.length).toBeGreaterThan(0);
  });

  it("reports the subscription it runs in through instance metadata", async () => {
    const response = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
      { Metadata: "true" },
    );
    expect(response.status).toBe(200);
    const body = response.json as { compute: Record<string, unknown>; network: { interface: unknown[] } };
    expect(body.compute).toMatchObject({
      azEnvironment: "AzurePublicCloud",
      location: "westus2",
      name: "vm-msi-samples",
      resourceGroupName: "rg-msi-samples",
      subscriptionId: SUBSCRIPTION_ID,
      vmId: "e4a9b2c7-6d13-4f85-a0e2-9b7c3d5f1168",
      vmSize: "Standard_B2s",
      osType: "Linux",
      resourceId: VM_RESOURCE_ID,
      tags: "environment:workshop;owner:msi-samples",
    });
    expect(body.network.interface).toHaveLength(1);

    const compute = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01",
      {
        Metadata: "true",
      },
    );
    expect((compute.json as Record<string, unknown>).subscriptionId).toBe(SUBSCRIPTION_ID);
    const leaf = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute/location?api-version=2021-02-01&format=text",
      {
        Metadata: "true",
      },
    );
    expect(leaf.text).toBe("westus2");
  });

  it("rejects instance metadata without the Metadata header or with an unknown api-version", async () => {
    const noHeader = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
    );
    expect(noHeader.status).toBe(400);
    expect(noHeader.json).toEqual({ error: "Bad request. Required metadata header not specified" });
    const badVersion = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance?api-version=1999-01-01",
      { Metadata: "true" },
    );
    expect(badVersion.status).toBe(400);
    expect(badVersion.json).toHaveProperty("newest-versions");
  });
});

// A VM with several user-assigned identities and no system-assigned one: IMDS cannot pick one by itself.
// Its own file: msal-node keeps the first IMDS client of a process (and its proxy settings) for the process lifetime.
describe("IMDS with several user-assigned identities and no system-assigned one", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    scenario.vm.systemAssignedIdentity = null;
    scenario.vm.userAssignedIdentities.push({
      name: "id-second",
      resourceGroup: "rg-msi-samples",
      clientId: "6e9c3a7b-4f2d-4ca8-b7e1-9a3d5f0b2c84",
      principalId: "0a7d1b8f-5c3e-4e26-9b4a-2f6c8e0d3a71",
    });
    scenario.roleAssignments = scenario.roleAssignments.filter(
      (a: { principal: string }) => a.principal !== "system",
    );
    emulator = await startEmulatorOnFilePort({ scenario });
  });
  afterAll(() => emulator.stop());

  it("refuses a token request that names no identity", async () => {
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    await expect(credential.getToken("https://storage.azure.com/.default")).rejects.toThrow(
      /Multiple user assigned identities exist/,
    );
  });
});

// The core path end to end: ManagedIdentityCredential gets a token from IMDS through the proxy, and
// ResourceManagementClient lists the scenario's resource groups over intercepted TLS.
describe("managed identity token, then resource groups, through the proxy", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulatorOnFilePort();
  });
  afterAll(() => emulator.stop());

  it("lists the scenario's resource groups with the system-assigned identity", async () => {
    const options = clientOptionsFor(emulator);
    const credential = new ManagedIdentityCredential(options);
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, options);
    const names: string[] = [];
    for await (const group of client.resourceGroups.list()) names.push(group.name ?? "");
    expect(names).toEqual(SCENARIO_GROUPS);

    const log = emulator.requests();
    const imds = log.find((e) => e.service === "imds");
    expect(imds).toMatchObject({
      host: "169.254.169.254",
      status: 200,
      principal: { objectId: SYSTEM_PRINCIPAL_ID },
    });
    expect(imds?.path).toContain("/metadata/identity/oauth2/token");
    const arm = log.find((e) => e.service === "arm");
    expect(arm).toMatchObject({
      host: "management.azure.com",
      method: "GET",
      status: 200,
      principal: { identity: "system" },
    });
  });
});

// The emulator can become another VM of its world: once switched (API, admin endpoint, scenario `currentVm`), IMDS
// describes that VM resource and issues tokens for its own identities; it answers as the scenario's VM again when
// switched back, or while the chosen VM does not exist; the choice survives a restart with --state.
const GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-workshop-data`;
const APP_VM_ID = `${GROUP_ID}/providers/Microsoft.Compute/virtualMachines/vm-app`;
const APP_IDENTITY_ID = `${GROUP_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-app`;
const SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAppVmKeyForTheEmulatorTest000000000000 ops@app";
const ownerScenario = () =>
  defaultScenarioWith((scenario) => {
    scenario.roleAssignments = [
      { principal: "system", role: "Owner", scope: `/subscriptions/${SUBSCRIPTION_ID}` },
    ];
  });

/** Creates the user-assigned identity and the VM that uses it, as the scenario VM's (Owner) identity. */
async function createAppVm(emulator: Emulator, token: string): Promise<{ vm: Record<string, unknown> }> {
  const put = async (id: string, apiVersion: string, body: unknown) => {
    const response = await httpsThroughProxy(emulator.port, {
      method: "PUT",
      path: `${id}?api-version=${apiVersion}`,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status, response.text).toBeLessThan(300);
    return response.json as Record<string, unknown>;
  };
  await put(APP_IDENTITY_ID, "2024-11-30", { location: "westus2" });
  const vm = await put(APP_VM_ID, "2026-04-01", {
    location: "westus2",
    zones: ["2"],
    tags: { team: "app" },
    identity: { type: "SystemAssigned, UserAssigned", userAssignedIdentities: { [APP_IDENTITY_ID]: {} } },
    properties: {
      hardwareProfile: { vmSize: "Standard_D2s_v5" },
      storageProfile: {
        imageReference: {
          publisher: "Canonical",
          offer: "ubuntu-24_04-lts",
          sku: "server",
          version: "latest",
        },
        osDisk: { createOption: "FromImage", osType: "Linux" },
      },
      osProfile: {
        computerName: "app01",
        adminUsername: "ops",
        linuxConfiguration: {
          disablePasswordAuthentication: true,
          ssh: { publicKeys: [{ path: "/home/ops/.ssh/authorized_keys", keyData: SSH_KEY }] },
        },
      },
    },
  });
  return { vm };
}

const compute = async (emulator: Emulator) =>
  (
    await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01",
      {
        metadata: "true",
      },
    )
  ).json as Record<string, unknown>;

const token = async (emulator: Emulator, selector = "") => {
  const response = await proxiedHttp(
    emulator.port,
    `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/${selector}`,
    { metadata: "true" },
  );
  const body = response.json as { access_token?: string; client_id?: string; error_description?: string };
  return {
    status: response.status,
    body,
    claims: body.access_token ? decodeJwt(body.access_token) : undefined,
  };
};

describe("IMDS answers as the VM the emulator is switched to", () => {
  let emulator: Emulator;
  let vm: Record<string, unknown>;
  let identity: { principalId: string; clientId: string };
  /** An ARM token of the scenario VM's system-assigned identity (Owner), taken before any switch. */
  let operatorToken: string;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: ownerScenario() });
    operatorToken = await emulator.issueToken({ resource: "https://management.azure.com" });
    ({ vm } = await createAppVm(emulator, operatorToken));
    identity = emulator.world.getResource(APP_IDENTITY_ID)?.properties as typeof identity;
  });
  afterAll(() => emulator.stop());

  it("refuses to become a VM that does not exist, and stays the scenario's VM", async () => {
    await expect(
      emulator.useVirtualMachine(`${GROUP_ID}/providers/Microsoft.Compute/virtualMachines/nope`),
    ).rejects.toThrow(VirtualMachineNotFoundError);
    await expect(emulator.useVirtualMachine(APP_IDENTITY_ID)).rejects.toThrow(VirtualMachineNotFoundError);
    expect((await compute(emulator)).name).toBe("vm-msi-samples");
  });

  it("describes the VM resource in instance metadata", async () => {
    await emulator.useVirtualMachine(APP_VM_ID);
    expect(await compute(emulator)).toMatchObject({
      name: "vm-app",
      resourceGroupName: "rg-workshop-data",
      subscriptionId: SUBSCRIPTION_ID,
      location: "westus2",
      resourceId: APP_VM_ID,
      vmId: (vm.properties as { vmId: string }).vmId,
      vmSize: "Standard_D2s_v5",
      zone: "2",
      osType: "Linux",
      osProfile: { computerName: "app01", adminUsername: "ops", disablePasswordAuthentication: "true" },
      storageProfile: {
        imageReference: { publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server" },
      },
      publicKeys: [{ keyData: SSH_KEY, path: "/home/ops/.ssh/authorized_keys" }],
      tags: "team:app",
    });
    const name = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute/name?api-version=2021-02-01&format=text",
      { metadata: "true" },
    );
    expect(name.text).toBe("vm-app");
  });

  it("issues tokens for the VM's own system- and user-assigned identities, not the scenario VM's", async () => {
    const system = await token(emulator);
    const systemPrincipalId = (vm.identity as { principalId: string }).principalId;
    expect(system.claims).toMatchObject({ oid: systemPrincipalId, xms_mirid: APP_VM_ID });
    expect(system.body.client_id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(system.body.client_id).not.toBe(SYSTEM_CLIENT_ID);
    expect(system.claims?.appid).toBe(system.body.client_id);
    // The system-assigned identity's client ID is stable while the VM keeps its identity.
    expect((await token(emulator)).body.client_id).toBe(system.body.client_id);

    const userAssigned = await token(emulator, `&client_id=${identity.clientId}`);
    expect(userAssigned.claims).toMatchObject({
      oid: identity.principalId,
      appid: identity.clientId,
      xms_mirid: APP_IDENTITY_ID.replace("/resourceGroups/", "/resourcegroups/"),
      xms_az_rid: APP_VM_ID,
    });
    expect((await token(emulator, `&msi_res_id=${APP_IDENTITY_ID}`)).claims?.oid).toBe(identity.principalId);

    const scenarioIdentity = await token(emulator, `&client_id=${USER_ASSIGNED_CLIENT_ID}`);
    expect(scenarioIdentity.status).toBe(400);
    expect(scenarioIdentity.body.error_description).toBe("Identity not found");
    expect(system.claims?.oid).not.toBe(SYSTEM_PRINCIPAL_ID);
  });

  it("admin endpoint: GET /vm shows it, DELETE /vm goes back to the scenario's VM, PUT /vm switches again", async () => {
    const admin = (method: string, body?: unknown) =>
      fetch(`${emulator.adminUrl}/vm`, {
        method,
        headers: { "content-type": "application/json", "x-msi-emulator-token": emulator.adminToken },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const shown = (await (await admin("GET")).json()) as {
      chosen: string;
      current: { name: string; source: string; identities: { kind: string; principalId: string }[] };
    };
    expect(shown.chosen).toBe(APP_VM_ID);
    expect(shown.current).toMatchObject({ name: "vm-app", source: "resource" });
    expect(shown.current.identities.map((i) => [i.kind, i.principalId])).toEqual([
      ["system", (vm.identity as { principalId: string }).principalId],
      ["user", identity.principalId],
    ]);

    const back = await admin("DELETE");
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({
      chosen: null,
      current: { name: "vm-msi-samples", source: "scenario" },
    });
    expect((await compute(emulator)).name).toBe("vm-msi-samples");
    expect((await token(emulator)).body.client_id).toBe(SYSTEM_CLIENT_ID);

    const unknown = await admin("PUT", {
      resourceId: `${GROUP_ID}/providers/Microsoft.Compute/virtualMachines/nope`,
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "VirtualMachineNotFound" } });
    const malformed = await admin("PUT", { resourceId: APP_IDENTITY_ID });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "InvalidRequestContent" } });

    const switched = await admin("PUT", { resourceId: APP_VM_ID });
    expect(switched.status).toBe(200);
    expect((await compute(emulator)).name).toBe("vm-app");
  });

  it("while the chosen VM is deleted the scenario's VM answers; a VM created again brings its new identity", async () => {
    const oldPrincipalId = (vm.identity as { principalId: string }).principalId;

    const deleted = await httpsThroughProxy(emulator.port, {
      method: "DELETE",
      path: `${APP_VM_ID}?api-version=2026-04-01`,
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    expect(deleted.status).toBe(200);
    expect((await compute(emulator)).name).toBe("vm-msi-samples");
    expect(emulator.world.currentVmChoice).toBe(APP_VM_ID);

    const { vm: recreated } = await createAppVm(emulator, operatorToken);
    const newPrincipalId = (recreated.identity as { principalId: string }).principalId;
    expect(newPrincipalId).not.toBe(oldPrincipalId);
    expect((await compute(emulator)).name).toBe("vm-app");
    expect((await token(emulator)).claims?.oid).toBe(newPrincipalId);
  });
});

describe("a scenario's currentVm: a VM a deployment creates later, kept across restarts with --state", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-current-vm-"));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("answers as the scenario's VM until the chosen VM exists, then as it, also after a restart", async () => {
    const statePath = path.join(dir, "state.db");
    const scenario = { ...ownerScenario(), currentVm: APP_VM_ID };
    const first = await startEmulator({ scenario, statePath });
    try {
      expect((await compute(first)).name).toBe("vm-msi-samples");
      await createAppVm(first, await first.issueToken({ resource: "https://management.azure.com" }));
      expect((await compute(first)).name).toBe("vm-app");
    } finally {
      await first.stop();
    }
    const second = await startEmulator({ statePath });
    try {
      expect((await compute(second)).name).toBe("vm-app");
      await second.useVirtualMachine(undefined);
    } finally {
      await second.stop();
    }
    const third = await startEmulator({ statePath });
    try {
      expect((await compute(third)).name).toBe("vm-msi-samples");
    } finally {
      await third.stop();
    }
  });

  it("rejects a currentVm that is not a VM's resource ID, or whose subscription is unknown", async () => {
    await expect(
      startEmulator({ scenario: { ...ownerScenario(), currentVm: APP_IDENTITY_ID } }),
    ).rejects.toThrow(/currentVm: must be a VM's resource ID/);
    await expect(
      startEmulator({
        scenario: {
          ...ownerScenario(),
          currentVm: VM_RESOURCE_ID.replace(SUBSCRIPTION_ID, "00000000-0000-4000-8000-000000000000"),
        },
      }),
    ).rejects.toThrow(
      /currentVm: subscription '00000000-0000-4000-8000-000000000000' is not in subscriptions/,
    );
    await expect(startEmulator({ currentVm: "vm-app" })).rejects.toThrow(ScenarioError);
  });
});
