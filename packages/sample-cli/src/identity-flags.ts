// The flags that choose a user-assigned identity (--client-id, --object-id, --resource-id): their parseArgs options
// and their lines in a sample's --help.
import type { ParseArgsOptionsConfig } from "node:util";
import { identitySelectorSettings } from "@msi-samples/identity";
import type { UsageRow } from "./sample-cli.ts";

/** Spread into parseSampleArgs' options: `options: { ...identitySelectorOptions, json: { type: "boolean" } }`. */
export const identitySelectorOptions = {
  "client-id": { type: "string" },
  "object-id": { type: "string" },
  "resource-id": { type: "string" },
} as const satisfies ParseArgsOptionsConfig;

const { clientId, objectId, resourceId } = identitySelectorSettings;

/** Spread into formatUsage's rows. */
export const identitySelectorUsage: readonly UsageRow[] = [
  ["--client-id ID", `Sign in as the user-assigned identity with this client ID (env ${clientId.envName})`],
  ["--object-id ID", `... or with this object ID (env ${objectId.envName})`],
  ["--resource-id ID", `... or with this resource ID (env ${resourceId.envName})`],
  ["", "(none of the three: the VM's system-assigned identity)"],
];
