// The shapes of what the world keeps about resources and identities, apart from the world itself so that the modules
// the world is built from (current-vm.ts) can name them without an import circle.
import { z } from "zod";

export interface ManagedIdentity {
  kind: "system" | "user";
  /** "system" for the system-assigned identity, else the user-assigned identity's name. */
  name: string;
  clientId: string;
  principalId: string;
  /** IMDS `msi_res_id` and the token's `xms_mirid`: the identity's resource ID (the VM's, for system-assigned). */
  resourceId: string;
}

/** Any ARM resource, kept by ID. Providers decide what goes into `properties`; the gateway renders the envelope. */
export interface ArmResourceRecord {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  /** e.g. "Microsoft.KeyVault/vaults" (nested types keep their full path: "Microsoft.Sql/servers/databases"). */
  type: string;
  name: string;
  location?: string;
  kind?: string;
  sku?: Record<string, unknown>;
  tags?: Record<string, string>;
  identity?: Record<string, unknown>;
  properties: Record<string, unknown>;
  createdTime: string;
  changedTime: string;
  /** What a provider keeps with the resource beyond its body (a deployment's template and operations, a vault's DNS wait). */
  extra?: Record<string, unknown>;
}

/** An ArmResourceRecord kept inside a service's namespace (a soft-deleted vault), checked when that is read. */
export const armResourceRecordSchema: z.ZodType<ArmResourceRecord> = z.looseObject({
  id: z.string(),
  subscriptionId: z.string(),
  resourceGroup: z.string(),
  type: z.string(),
  name: z.string(),
  location: z.string().optional(),
  kind: z.string().optional(),
  sku: z.record(z.string(), z.unknown()).optional(),
  tags: z.record(z.string(), z.string()).optional(),
  identity: z.record(z.string(), z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()),
  createdTime: z.string(),
  changedTime: z.string(),
  extra: z.record(z.string(), z.unknown()).optional(),
});

export interface ResourceGroupRecord {
  subscriptionId: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  managedBy?: string;
  provisioningState: "Succeeded" | "Deleting";
  createdTime: string;
}
