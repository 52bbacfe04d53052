// The flags that choose a user-assigned identity (--client-id, --object-id, --resource-id): their parseArgs options,
// their lines in a sample's --help, the credential options they stand for, and how to say which identity is used.
import type { ParseArgsOptionsConfig } from "node:util";
import {
  type IdentitySelection,
  type IdentitySelectorOptions,
  identitySelectorSettings,
} from "./identity-selection.ts";
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

/** The createManagedIdentityCredential options that the parsed flags stand for (the environment is read there). */
export function managedIdentityOptionsFrom(values: {
  "client-id"?: string | undefined;
  "object-id"?: string | undefined;
  "resource-id"?: string | undefined;
}): IdentitySelectorOptions {
  return { clientId: values["client-id"], objectId: values["object-id"], resourceId: values["resource-id"] };
}

/** `the VM's system-assigned identity`, or `the user-assigned identity with client ID 1a2b…`. */
export function formatIdentitySelection(identity: IdentitySelection): string {
  return identity.kind === "system-assigned"
    ? "the VM's system-assigned identity"
    : `the user-assigned identity with ${identitySelectorSettings[identity.by].label} ${identity.value}`;
}
