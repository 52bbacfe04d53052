// Format checks for the values a person types (GUIDs, identity resource IDs, durations), failing as UsageError.
import { UsageError } from "./errors.ts";

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Resource group names: 1-90 letters, digits, '_', '-', '.', '(', ')'; identity names: 3-128 letters, digits,
// '-', '_', starting with a letter or digit (Azure naming rules for Microsoft.Resources and
// Microsoft.ManagedIdentity). Azure compares resource IDs case-insensitively, so do we.
const userAssignedIdentityIdPattern =
  /^\/subscriptions\/([^/]+)\/resourceGroups\/([\p{L}\p{N}_.()-]{1,90})\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities\/([\p{L}\p{N}][\p{L}\p{N}_-]{2,127})$/iu;

export interface UserAssignedIdentityId {
  subscriptionId: string;
  resourceGroupName: string;
  name: string;
}

export function isGuid(value: unknown): value is string {
  return typeof value === "string" && guidPattern.test(value);
}

/** Returns `value` when it is a GUID, else throws a UsageError naming `settingName`. */
export function assertGuid(value: string, settingName: string): string {
  if (!isGuid(value)) {
    throw new UsageError(
      `${settingName} must be a GUID like 00000000-0000-0000-0000-000000000000, not '${value}'.`,
      { setting: settingName },
    );
  }
  return value;
}

/**
 * Splits `/subscriptions/{guid}/resourceGroups/{rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}`
 * into its parts; undefined when `id` is anything else.
 */
export function parseUserAssignedIdentityId(id: string): UserAssignedIdentityId | undefined {
  const match = userAssignedIdentityIdPattern.exec(id);
  if (!match || !isGuid(match[1])) return undefined;
  return { subscriptionId: match[1], resourceGroupName: match[2]!, name: match[3]! };
}

/**
 * Stands in for a secret's value in output (`******** (40 characters)`): no character of the value is shown, since
 * even a prefix narrows a guess; the length is enough to see that a value was read.
 */
export function maskSecret(value: string): string {
  return `******** (${value.length} character${value.length === 1 ? "" : "s"})`;
}

/** A positive whole number of milliseconds, else a UsageError naming `settingName`. */
export function parseMilliseconds(value: string | number, settingName: string): number {
  const ms = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new UsageError(`${settingName} must be a positive number of milliseconds, not '${value}'.`, {
      setting: settingName,
    });
  }
  return ms;
}
