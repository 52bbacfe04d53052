// ARM's `systemData` (who created and last changed a resource, and when), for the resource types Azure returns it
// on: Key Vault vaults (recorded in Azure/azure-sdk-assets js/sdk/keyvault/arm-keyvault recordings; Storage accounts
// answer without it). Shape: azure-rest-api-specs specification/common-types/resource-management/v5/types.json
// (systemData). The emulator's callers are managed identities acting as applications, named by their client ID.
import type { ArmResourceRecord } from "../state/world-state.ts";
import type { ArmRequest } from "./arm-request.ts";

export interface SystemData {
  createdBy: string;
  createdByType: string;
  createdAt: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
  lastModifiedAt: string;
}

/** The record's `extra` with `systemData` for a write by the request's caller at `now` (creation kept from `existing`). */
export function withSystemData(
  request: ArmRequest,
  existing: ArmResourceRecord | undefined,
  now: string,
): { topLevel: { systemData: SystemData } } {
  const before = (existing?.extra?.topLevel as { systemData?: SystemData } | undefined)?.systemData;
  const caller = request.caller.clientId;
  return {
    topLevel: {
      systemData: {
        createdBy: before?.createdBy ?? caller,
        createdByType: before?.createdByType ?? "Application",
        createdAt: before?.createdAt ?? existing?.createdTime ?? now,
        lastModifiedBy: caller,
        lastModifiedByType: "Application",
        lastModifiedAt: now,
      },
    },
  };
}
