// The emulator can become another VM of its world: once switched (API, admin endpoint, scenario `currentVm`), IMDS
// describes that VM resource and issues tokens for its own identities; it answers as the scenario's VM again when
// switched back, or while the chosen VM does not exist; the choice survives a restart with --state.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, ScenarioError, startEmulator, VirtualMachineNotFoundError } from "../src/index.ts";
import { defaultScenarioWith } from "./arm-fixtures.ts";
import {
  SUBSCRIPTION_ID,
  SYSTEM_CLIENT_ID,
  SYSTEM_PRINCIPAL_ID,
  USER_ASSIGNED_CLIENT_ID,
  VM_RESOURCE_ID,
} from "./default-scenario.ts";
import { httpsThroughProxy, proxiedHttp } from "./raw-requests.ts";

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
