// Azure's guid(): a name-based (version 5, SHA-1) UUID of the '-'-joined values in ARM's namespace.
//
// The ARM docs say guid() "implements the algorithm from RFC 4122 §4.3" with modifications that are
// not documented. Public reimplementations derived from Microsoft's MIT-licensed expression engine
// (and Bicep's getRoleAssignmentName, Azure/bicep#20293) agree on the namespace below and on joining
// the values with '-'. See the tests for the known pairs.

import { createHash } from "node:crypto";

export const ARM_GUID_NAMESPACE = "11fb06fb-712d-4ddd-98c7-e71bbd588830";

export function deterministicGuid(...values: string[]): string {
  const namespace = Buffer.from(ARM_GUID_NAMESPACE.replaceAll("-", ""), "hex");
  const digest = createHash("sha1").update(namespace).update(values.join("-"), "utf8").digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
