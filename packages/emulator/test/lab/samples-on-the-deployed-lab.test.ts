// The workshop lab end to end: an operator deploys shared/templates/lab-vm.json into the emulator and gives both lab
// identities Reader on the subscription (as scripts/provision-vm.sh does), the emulator becomes the lab's VM, and the
// five samples then run as a user runs them on that VM: signed in as the lab VM's system-assigned or user-assigned
// identity, allowed exactly what the template's role assignments (and the subscription Reader) allow.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { ManagedIdentityCredential } from "@azure/identity";
import {
  describeRun,
  expectRoleAssignmentHint,
  type SampleTestRun,
  sampleRunner,
} from "@msi-samples/sample-runner/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../../src/index.ts";
import {
  ARM_SCOPE,
  SUBSCRIPTION_ID,
  SYSTEM_PRINCIPAL_ID,
  USER_ASSIGNED_CLIENT_ID,
} from "../support/default-scenario.ts";
import { httpsThroughProxy, proxiedHttp } from "../support/raw-requests.ts";

const LAB_GROUP = "msi-samples-lab";
const LAB_LOCATION = "eastus";
const LAB_GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${LAB_GROUP}`;
const SECRET_VALUE = "lab-secret-7f3a9c21e5b84d06";
const SSH_PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILabTestKeyOnlyForTheEmulator0000000000 lab@test";
const READER_ROLE_ID = "acdd72a7-3385-48ef-bd42-f606fba81ae7";
const labTemplateFile = new URL("../../../../shared/templates/lab-vm.json", import.meta.url);
const labOperatorScenario = new URL("../../../../shared/scenarios/lab-operator.json", import.meta.url);
const labParametersFile = new URL("../../../../shared/templates/lab-vm.parameters.json", import.meta.url);

interface LabOutputs {
  vmName: string;
  vaultName: string;
  secretName: string;
  systemAssignedPrincipalId: string;
  userAssignedClientId: string;
  userAssignedPrincipalId: string;
  userAssignedResourceId: string;
}

describe("the samples on the lab VM deployed into the emulator", () => {
  let emulator: Emulator;
  let lab: LabOutputs;
  let labVmId: string;

  beforeAll(async () => {
    // The shipped operator scenario: its VM is Owner of the subscription (the template creates role assignments);
    // nobody else holds a role, so whatever the lab identities may do comes from the lab's deployment.
    emulator = await startEmulator({ scenario: fileURLToPath(labOperatorScenario) });
    const options = clientOptionsFor(emulator);
    const operator = new ManagedIdentityCredential(options);
    const resources = new ResourceManagementClient(operator, SUBSCRIPTION_ID, options);
    const deployments = new DeploymentsClient(operator, SUBSCRIPTION_ID, options);

    // What provision-vm.sh does: the group, the template with its example parameters, then subscription Reader.
    await resources.resourceGroups.createOrUpdate(LAB_GROUP, {
      location: LAB_LOCATION,
      tags: { createdBy: "provision-vm.sh", purpose: "msi-samples-lab" },
    });
    const template = JSON.parse(await readFile(labTemplateFile, "utf8"));
    const { parameters } = JSON.parse(await readFile(labParametersFile, "utf8"));
    const deployment = await deployments.deployments.createOrUpdate(LAB_GROUP, "msi-lab", {
      properties: {
        mode: "Incremental",
        template,
        parameters: {
          ...parameters,
          adminPublicKey: { value: SSH_PUBLIC_KEY },
          sshSourceAddressPrefix: { value: "203.0.113.10/32" },
          secretValue: { value: SECRET_VALUE },
        },
      },
    });
    expect(deployment.properties?.provisioningState).toBe("Succeeded");
    const outputs = deployment.properties?.outputs as Record<string, { value: string }>;
    lab = Object.fromEntries(
      Object.entries(outputs).map(([name, output]) => [name, output.value]),
    ) as unknown as LabOutputs;
    labVmId = `${LAB_GROUP_ID}/providers/Microsoft.Compute/virtualMachines/${lab.vmName}`;

    // A subscription-scope assignment is out of a resource-group template's reach: the Azure CLI's own PUT.
    const { token } = (await operator.getToken(ARM_SCOPE)) ?? { token: "" };
    for (const principalId of [lab.systemAssignedPrincipalId, lab.userAssignedPrincipalId]) {
      const assignment = await httpsThroughProxy(emulator.port, {
        method: "PUT",
        path: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleAssignments/${crypto.randomUUID()}?api-version=2022-04-01`,
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({
          properties: {
            roleDefinitionId: `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/${READER_ROLE_ID}`,
            principalId,
            principalType: "ServicePrincipal",
          },
        }),
      });
      expect(assignment.status, assignment.text).toBe(201);
    }

    await emulator.useVirtualMachine(labVmId);
  });
  afterAll(() => emulator?.stop());

  /** Requests to ARM or Key Vault that succeeded, as `METHOD path` with the caller's object ID. */
  const callsBy = (run: SampleTestRun, service: "arm" | "keyvault") =>
    run.requests
      .filter((entry) => entry.service === service && entry.status < 400)
      .map((entry) => ({
        call: `${entry.method} ${entry.path.split("?")[0]}`,
        by: entry.principal?.objectId,
      }));
  const signedInAsSystem = () =>
    `Signed in as the system-assigned identity of VM '${lab.vmName}' (object ID ${lab.systemAssignedPrincipalId}, client ID `;
  const signedInAsUserAssigned = () =>
    `Signed in as user-assigned identity '${lab.userAssignedResourceId.split("/").at(-1)}' (object ID ${lab.userAssignedPrincipalId}, client ID ${lab.userAssignedClientId}, `;

  it("IMDS describes the lab VM from its resource, and no longer the scenario's VM", async () => {
    const response = await proxiedHttp(
      emulator.port,
      "http://169.254.169.254/metadata/instance/compute?api-version=2021-02-01",
      { metadata: "true" },
    );
    const vm = emulator.world.getResource(labVmId);
    expect(response.json).toMatchObject({
      name: lab.vmName,
      resourceGroupName: LAB_GROUP,
      location: LAB_LOCATION,
      subscriptionId: SUBSCRIPTION_ID,
      resourceId: labVmId,
      vmId: vm?.properties.vmId,
      vmSize: "Standard_B2s",
      osProfile: { adminUsername: "azureuser", computerName: lab.vmName },
      publicKeys: [{ keyData: SSH_PUBLIC_KEY, path: "/home/azureuser/.ssh/authorized_keys" }],
      tagsList: [{ name: "purpose", value: "msi-samples-lab" }],
    });
  });

  it("list-resource-groups: the lab VM's system-assigned identity lists the subscription (subscription Reader)", async () => {
    const result = await sampleRunner("list-resource-groups", emulator)();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(signedInAsSystem());
    expect(result.stdout).toContain(`Subscription ${SUBSCRIPTION_ID} (from instance metadata): `);
    expect(result.stdout).toMatch(new RegExp(`^${LAB_GROUP} +${LAB_LOCATION} +Succeeded$`, "m"));
    expect(callsBy(result, "arm")).toEqual([
      {
        call: `GET /subscriptions/${SUBSCRIPTION_ID}/resourcegroups`,
        by: lab.systemAssignedPrincipalId,
      },
    ]);
  });

  it("keyvault-and-resource-groups: reads the lab's secret (Key Vault Secrets User on the lab vault)", async () => {
    const result = await sampleRunner(
      "keyvault-and-resource-groups",
      emulator,
    )(["--vault-name", lab.vaultName, "--secret-name", "sample-secret", "--show-secret"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(signedInAsSystem());
    expect(result.stdout).toMatch(
      new RegExp(
        `Secret 'sample-secret' from https://${lab.vaultName}\\.vault\\.azure\\.net \\(version \\w+\\): ${SECRET_VALUE}`,
      ),
    );
    expect(result.stdout).toContain(`  ${LAB_GROUP} (${LAB_LOCATION})`);
    expect(callsBy(result, "keyvault")).toEqual([
      { call: "GET /secrets/sample-secret/", by: lab.systemAssignedPrincipalId },
    ]);
  });

  it("user-assigned-identity --client-id: signs in as the lab's identity and finds the one subscription it sees", async () => {
    const result = await sampleRunner(
      "user-assigned-identity",
      emulator,
    )(["--client-id", lab.userAssignedClientId]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(signedInAsUserAssigned());
    expect(result.stdout).toContain(`Using subscription ${SUBSCRIPTION_ID} (`);
    expect(result.stdout).toContain(`  ${LAB_GROUP} (${LAB_LOCATION})`);
    expect(callsBy(result, "arm").every((call) => call.by === lab.userAssignedPrincipalId)).toBe(true);
  });

  it("deploy-arm-template as the user-assigned identity: deploys a storage account into the lab group (Contributor there)", async () => {
    const result = await sampleRunner("deploy-arm-template", emulator)(
      ["--resource-group", LAB_GROUP, "--deployment-name", "sample-on-the-lab"],
      { env: { AZURE_CLIENT_ID: lab.userAssignedClientId } },
    );
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(signedInAsUserAssigned());
    expect(result.stdout).toContain(`Using existing resource group '${LAB_GROUP}'.`);
    expect(result.stdout).toContain("Deployment 'sample-on-the-lab': Succeeded");
    const accountName = /output storageAccountName = "([a-z0-9]+)"/.exec(result.stdout)?.[1];
    expect(accountName).toMatch(/^msisample[a-z0-9]{13}$/);
    expect(result.stdout).toContain(
      `Storage account '${accountName}' (Standard_LRS, StorageV2) in ${LAB_LOCATION}:`,
    );

    expect(
      emulator.world.listResources({ resourceGroup: LAB_GROUP, type: "Microsoft.Storage/storageAccounts" }),
    ).toEqual([expect.objectContaining({ name: accountName, location: LAB_LOCATION })]);
    expect(callsBy(result, "arm")).toContainEqual({
      call: `PUT /subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${LAB_GROUP}/providers/Microsoft.Resources/deployments/sample-on-the-lab`,
      by: lab.userAssignedPrincipalId,
    });
  });

  it("create-delete-key-vault --yes: creates and deletes a vault in the VM's own group, the lab's, read from IMDS", async () => {
    const before = emulator.world.listResources({ type: "Microsoft.KeyVault/vaults" }).map((v) => v.id);
    const result = await sampleRunner("create-delete-key-vault", emulator)(["--yes"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(signedInAsSystem());
    const vaultName =
      /Creating Key Vault '(msi-sample-[0-9a-f]{8})' in resource group '([^']+)' \(([^)]+)\)/.exec(
        result.stdout,
      );
    expect(vaultName?.slice(2)).toEqual([LAB_GROUP, LAB_LOCATION]);
    expect(result.stdout).toContain(
      `Created ${LAB_GROUP_ID}/providers/Microsoft.KeyVault/vaults/${vaultName?.[1]}`,
    );
    expect(result.stdout).toContain(`Deleting Key Vault '${vaultName?.[1]}'...`);

    // The SDK's generic-resource path has an empty parent segment: .../Microsoft.KeyVault//vaults/{name}.
    const vaultPath = new RegExp(
      `^/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/${LAB_GROUP}/providers/Microsoft\\.KeyVault/+vaults/${vaultName?.[1]}$`,
      "i",
    );
    const vaultCalls = callsBy(result, "arm").filter((c) => vaultPath.test(c.call.split(" ")[1] ?? ""));
    expect(vaultCalls.map((c) => c.call.split(" ")[0])).toEqual(["PUT", "DELETE"]);
    expect(vaultCalls.every((c) => c.by === lab.systemAssignedPrincipalId)).toBe(true);
    expect(emulator.world.listResources({ type: "Microsoft.KeyVault/vaults" }).map((v) => v.id)).toEqual(
      before,
    );
  });

  it("the lab's user-assigned identity may not read a vault it has no role on: exit 1 with the role to grant", async () => {
    const result = await sampleRunner(
      "keyvault-and-resource-groups",
      emulator,
    )([
      "--client-id",
      lab.userAssignedClientId,
      "--vault-name",
      "kv-msi-samples",
      "--secret-name",
      "sample-secret",
    ]);
    expect(result.stdout).toContain(signedInAsUserAssigned());
    expectRoleAssignmentHint(result, {
      objectId: lab.userAssignedPrincipalId,
      role: "Key Vault Secrets User",
      scope: new RegExp(
        `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft\\.KeyVault/vaults/kv-msi-samples`,
        "i",
      ),
    });
  });

  it("the scenario VM's identities are not the lab VM's: its user-assigned identity is not found", async () => {
    const result = await sampleRunner(
      "list-resource-groups",
      emulator,
    )(["--client-id", USER_ASSIGNED_CLIENT_ID]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(
      `IMDS found no user-assigned identity with client ID ${USER_ASSIGNED_CLIENT_ID} (from --client-id) on this VM.`,
    );
    expect(result.requests.some((entry) => entry.principal?.objectId === SYSTEM_PRINCIPAL_ID)).toBe(false);
  });
});
