// IMDS instance metadata (GET /metadata/instance[/...]): the current VM (the scenario's, or a VM resource the emulator
// was switched to) as IMDS describes it, every primitive a string.
// Shape: azure-rest-api-specs specification/imds (Instance, Compute, Network) and the docs' full response example
// (azure-compute-docs, articles/virtual-machines/includes/imds-full-instance-response.md).
import type { Reply } from "../http/reply.ts";
import type { WorldState } from "../state/world-state.ts";
import { imdsErrors } from "./imds-errors.ts";

function instanceMetadata(world: WorldState): Record<string, unknown> {
  const vm = world.currentVm;
  const tagsList = Object.entries(vm.tags).map(([name, value]) => ({ name, value }));
  const isLinux = vm.osType === "Linux";
  return {
    compute: {
      azEnvironment: "AzurePublicCloud",
      additionalCapabilities: { hibernationEnabled: "false" },
      evictionPolicy: "",
      extendedLocation: { type: "", name: "" },
      host: { id: "" },
      hostGroup: { id: "" },
      isHostCompatibilityLayerVm: "false",
      licenseType: "",
      location: vm.location.replace(/\s+/g, "").toLowerCase(),
      name: vm.name,
      offer: vm.image.offer,
      osProfile: {
        adminUsername: vm.adminUsername,
        computerName: vm.computerName,
        disablePasswordAuthentication: isLinux ? "true" : "",
      },
      osType: vm.osType,
      physicalZone: "",
      placementGroupId: "",
      plan: { name: "", product: "", publisher: "" },
      platformFaultDomain: "0",
      platformSubFaultDomain: "",
      platformUpdateDomain: "0",
      priority: "",
      provider: "Microsoft.Compute",
      publicKeys: vm.publicKeys,
      publisher: vm.image.publisher,
      resourceGroupName: vm.resourceGroup,
      resourceId: vm.resourceId,
      securityProfile: {
        secureBootEnabled: "false",
        virtualTpmEnabled: "false",
        encryptionAtHost: "false",
        securityType: "",
      },
      sku: vm.image.sku,
      storageProfile: {
        dataDisks: [],
        imageReference: {
          id: "",
          offer: vm.image.offer,
          publisher: vm.image.publisher,
          sku: vm.image.sku,
          version: vm.image.version,
        },
        osDisk: {
          caching: "ReadWrite",
          createOption: "FromImage",
          diffDiskSettings: { option: "" },
          diskSizeGB: "30",
          encryptionSettings: { enabled: "false" },
          image: { uri: "" },
          managedDisk: {
            id: `/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}/providers/Microsoft.Compute/disks/${vm.name}_OsDisk_1`,
            storageAccountType: "Premium_LRS",
          },
          name: `${vm.name}_OsDisk_1`,
          osType: vm.osType,
          vhd: { uri: "" },
          writeAcceleratorEnabled: "false",
        },
        resourceDisk: { size: "0" },
      },
      subscriptionId: vm.subscriptionId,
      tags: Object.entries(vm.tags)
        .map(([name, value]) => `${name}:${value}`)
        .join(";"),
      tagsList,
      userData: "",
      version: "",
      virtualMachineScaleSet: { id: "" },
      vmId: vm.vmId,
      vmScaleSetName: "",
      vmSize: vm.vmSize,
      zone: vm.zone,
    },
    network: {
      interface: [
        {
          ipv4: {
            ipAddress: [
              { privateIpAddress: vm.network.privateIpAddress, publicIpAddress: vm.network.publicIpAddress },
            ],
            subnet: [{ address: vm.network.subnetAddress, prefix: vm.network.subnetPrefix }],
          },
          ipv6: { ipAddress: [] },
          macAddress: vm.network.macAddress,
        },
      ],
    },
  };
}

/**
 * Walks route parameters (/metadata/instance/compute/location, /network/interface/0) as IMDS does; a leaf needs
 * format=text (docs: "Route parameters"), and format=text on an object lists its keys one per line.
 */
export function filteredInstanceMetadata(
  world: WorldState,
  segments: string[],
  format: string | null,
): Reply {
  let node: unknown = instanceMetadata(world);
  for (const segment of segments) {
    if (Array.isArray(node)) {
      const index = Number(segment);
      node = Number.isInteger(index) ? node[index] : undefined;
    } else if (node !== null && typeof node === "object") {
      const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase());
      node = key === undefined ? undefined : (node as Record<string, unknown>)[key];
    } else {
      node = undefined;
    }
    if (node === undefined) throw imdsErrors.notFound();
  }
  const isLeaf = node === null || typeof node !== "object";
  if (format === "text") {
    if (isLeaf) return { status: 200, body: String(node ?? "") };
    const keys = Array.isArray(node) ? node.map((_, i) => String(i)) : Object.keys(node as object);
    return { status: 200, body: keys.join("\n") };
  }
  if (isLeaf && segments.length > 0) throw imdsErrors.leafNeedsTextFormat();
  return { status: 200, body: node };
}
