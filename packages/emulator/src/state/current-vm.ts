// The VM the emulator's IMDS answers as ("current VM"): the scenario's `vm`, or a Microsoft.Compute/virtualMachines
// resource of the world (one a deployment created, say), described from that resource with its managed identities.
import { systemAssignedClientId, USER_ASSIGNED_IDENTITY_TYPE, VIRTUAL_MACHINE_TYPE } from "../identifiers.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { ArmResourceRecord, ManagedIdentity } from "./world-records.ts";

/** What IMDS reports about the VM it runs on, and the identities it issues tokens for. */
export interface CurrentVm {
  resourceId: string;
  /** "scenario": the scenario's `vm`; "resource": a VM resource of the world. */
  source: "scenario" | "resource";
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string;
  vmId: string;
  vmSize: string;
  osType: "Linux" | "Windows";
  computerName: string;
  adminUsername: string;
  zone: string;
  tags: Record<string, string>;
  image: Scenario["vm"]["image"];
  network: Scenario["vm"]["network"];
  publicKeys: { keyData: string; path: string }[];
  identities: ManagedIdentity[];
}

/** A VM the emulator was told to be whose resource does not exist (a typo, or not created yet). */
export class VirtualMachineNotFoundError extends Error {
  constructor(resourceId: string) {
    super(`There is no virtual machine '${resourceId}' in the emulated world.`);
    this.name = "VirtualMachineNotFoundError";
  }
}

function scenarioVmResourceId(scenario: Scenario): string {
  const vm = scenario.vm;
  return `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/${VIRTUAL_MACHINE_TYPE}/${vm.name}`;
}

/** IMDS reports user-assigned identity IDs with a lowercase "resourcegroups" segment (xms_mirid claim). */
function imdsStyleIdentityId(subscriptionId: string, resourceGroup: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/${USER_ASSIGNED_IDENTITY_TYPE}/${name}`;
}

export function scenarioVm(scenario: Scenario): CurrentVm {
  const vm = scenario.vm;
  const resourceId = scenarioVmResourceId(scenario);
  const identities: ManagedIdentity[] = [];
  if (vm.systemAssignedIdentity) {
    identities.push({
      kind: "system",
      name: "system",
      clientId: vm.systemAssignedIdentity.clientId,
      principalId: vm.systemAssignedIdentity.principalId,
      resourceId,
    });
  }
  for (const u of vm.userAssignedIdentities) {
    identities.push({
      kind: "user",
      name: u.name,
      clientId: u.clientId,
      principalId: u.principalId,
      resourceId: imdsStyleIdentityId(u.subscriptionId ?? vm.subscriptionId, u.resourceGroup, u.name),
    });
  }
  return {
    resourceId,
    source: "scenario",
    name: vm.name,
    subscriptionId: vm.subscriptionId,
    resourceGroup: vm.resourceGroup,
    location: vm.location,
    vmId: vm.vmId,
    vmSize: vm.vmSize,
    osType: vm.osType,
    computerName: vm.computerName ?? vm.name,
    adminUsername: vm.adminUsername,
    zone: vm.zone,
    tags: vm.tags,
    image: vm.image,
    network: vm.network,
    publicKeys: [],
    identities,
  };
}

/** The network a VM resource reports: the NIC's addresses are not modelled, so the first one Azure hands out. */
const RESOURCE_VM_NETWORK: Scenario["vm"]["network"] = {
  privateIpAddress: "10.0.0.4",
  publicIpAddress: "",
  subnetAddress: "10.0.0.0",
  subnetPrefix: "24",
  macAddress: "000D3A6B1C2D",
};

const objectAt = (value: unknown, ...path: string[]): Record<string, unknown> => {
  let node = value;
  for (const key of path)
    node = node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined;
  return node && typeof node === "object" && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
};
const text = (value: unknown): string => (typeof value === "string" ? value : "");

/**
 * A VM resource as IMDS describes it: metadata from the resource's properties (Compute's VirtualMachine shape), the
 * system-assigned identity from `identity.principalId`, user-assigned ones from the identity resources
 * `identity.userAssignedIdentities` names (an identity whose resource is gone cannot get tokens, as on Azure).
 */
export function resourceVm(
  record: ArmResourceRecord,
  findResource: (id: string) => ArmResourceRecord | undefined,
): CurrentVm {
  const properties = record.properties;
  const osProfile = objectAt(properties, "osProfile");
  const storageProfile = objectAt(properties, "storageProfile");
  const image = objectAt(storageProfile, "imageReference");
  const osDiskType = text(objectAt(storageProfile, "osDisk").osType);
  const osType =
    osDiskType.toLowerCase() === "windows" || Object.keys(objectAt(osProfile, "windowsConfiguration")).length
      ? "Windows"
      : "Linux";
  const sshKeys = objectAt(osProfile, "linuxConfiguration", "ssh").publicKeys;
  const zones = (record.extra?.topLevel as { zones?: unknown } | undefined)?.zones;

  const identity = record.identity ?? {};
  const kinds = String(identity.type ?? "").toLowerCase();
  const identities: ManagedIdentity[] = [];
  if (kinds.includes("systemassigned") && typeof identity.principalId === "string") {
    identities.push({
      kind: "system",
      name: "system",
      clientId: systemAssignedClientId(identity.principalId),
      principalId: identity.principalId,
      resourceId: record.id,
    });
  }
  if (kinds.includes("userassigned")) {
    for (const identityId of Object.keys(objectAt(identity, "userAssignedIdentities"))) {
      const found = findResource(identityId);
      if (!found || found.type.toLowerCase() !== USER_ASSIGNED_IDENTITY_TYPE.toLowerCase()) continue;
      identities.push({
        kind: "user",
        name: found.name,
        clientId: text(found.properties.clientId),
        principalId: text(found.properties.principalId),
        resourceId: imdsStyleIdentityId(found.subscriptionId, found.resourceGroup, found.name),
      });
    }
  }
  return {
    resourceId: record.id,
    source: "resource",
    name: record.name,
    subscriptionId: record.subscriptionId,
    resourceGroup: record.resourceGroup,
    location: record.location ?? "",
    vmId: text(properties.vmId),
    vmSize: text(objectAt(properties, "hardwareProfile").vmSize),
    osType,
    computerName: text(osProfile.computerName) || record.name,
    adminUsername: text(osProfile.adminUsername),
    zone: Array.isArray(zones) ? text(zones[0]) : "",
    tags: { ...record.tags },
    image: {
      publisher: text(image.publisher),
      offer: text(image.offer),
      sku: text(image.sku),
      version: text(image.version),
    },
    network: RESOURCE_VM_NETWORK,
    publicKeys: Array.isArray(sshKeys)
      ? sshKeys.map((key) => ({ keyData: text(objectAt(key).keyData), path: text(objectAt(key).path) }))
      : [],
    identities,
  };
}
