// Names every layer of the emulator shares: Azure hosts, resource types and the IDs built from them. A leaf module:
// it imports nothing from the emulator, so the proxy, the state and the services can all depend on it.
import { createHash } from "node:crypto";

/** The link-local address of the Azure Instance Metadata Service, on every VM. */
export const IMDS_HOST = "169.254.169.254";

/** Azure Resource Manager in the public cloud. */
export const ARM_HOST = "management.azure.com";

export const VAULT_RESOURCE_TYPE = "Microsoft.KeyVault/vaults";
export const VAULT_DNS_SUFFIX = ".vault.azure.net";

/** `https://{name}.vault.azure.net`: where the data plane serves a vault (ARM's `vaultUri` adds a trailing slash). */
export const vaultUrl = (name: string): string => `https://${name.toLowerCase()}${VAULT_DNS_SUFFIX}`;

export const USER_ASSIGNED_IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";

export const VIRTUAL_MACHINE_TYPE = "Microsoft.Compute/virtualMachines";

/** `/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{name}`, any case. */
export const VIRTUAL_MACHINE_ID =
  /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Compute\/virtualMachines\/[^/]+$/i;

/**
 * The application (client) ID of a system-assigned identity's service principal. Azure gives it one (IMDS returns it
 * as `client_id`, tokens carry it as `appid`) but ARM never shows it on the resource, so it is derived from the
 * principal ID: stable while the resource keeps its identity, new when the identity is created again.
 */
export function systemAssignedClientId(principalId: string): string {
  const hex = createHash("sha256")
    .update(`system-assigned-client-id|${principalId.toLowerCase()}`)
    .digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
