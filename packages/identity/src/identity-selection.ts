// Which managed identity to use: system-assigned, or one user-assigned identity chosen by exactly one selector,
// from options first, else from the environment, checked before any request is made.
import { UsageError } from "./errors.ts";
import { assertGuid, parseUserAssignedIdentityId } from "./validation.ts";

export type IdentitySelector = "clientId" | "objectId" | "resourceId";

export type IdentitySelection =
  | { kind: "system-assigned" }
  | { kind: "user-assigned"; by: IdentitySelector; value: string };

export interface IdentitySelectorOptions {
  clientId?: string | undefined;
  objectId?: string | undefined;
  resourceId?: string | undefined;
}

/** Where each selector comes from on a command line and in the environment. */
export const identitySelectorSettings: Record<
  IdentitySelector,
  { flag: string; envName: string; label: string }
> = {
  clientId: { flag: "--client-id", envName: "AZURE_CLIENT_ID", label: "client ID" },
  objectId: { flag: "--object-id", envName: "AZURE_MANAGED_IDENTITY_OBJECT_ID", label: "object ID" },
  resourceId: { flag: "--resource-id", envName: "AZURE_MANAGED_IDENTITY_RESOURCE_ID", label: "resource ID" },
};

const selectors = Object.keys(identitySelectorSettings) as IdentitySelector[];

/** The chosen identity and the setting it came from (for messages), e.g. `--client-id` or `AZURE_CLIENT_ID`. */
export interface ResolvedIdentity {
  identity: IdentitySelection;
  setting?: string;
}

/**
 * The identity a sample signs in as, from --client-id / --object-id / --resource-id, else from AZURE_CLIENT_ID,
 * AZURE_MANAGED_IDENTITY_OBJECT_ID or AZURE_MANAGED_IDENTITY_RESOURCE_ID: at most one selector is set in the result
 * (none: the VM's system-assigned identity). A malformed or ambiguous choice is a UsageError, before any request.
 */
export function identityFromFlagsOrEnvironment(
  flags: {
    "client-id"?: string | undefined;
    "object-id"?: string | undefined;
    "resource-id"?: string | undefined;
  },
  env: NodeJS.ProcessEnv = process.env,
): ChosenIdentity {
  const options = {
    clientId: flags["client-id"],
    objectId: flags["object-id"],
    resourceId: flags["resource-id"],
  };
  const { identity, setting } = selectIdentity(options, env);
  const chosen: ChosenIdentity = { selection: identity, ...(setting ? { setting } : {}) };
  return identity.kind === "system-assigned" ? chosen : { ...chosen, [identity.by]: identity.value };
}

/** The selectors to give ManagedIdentityCredential (at most one set), and what they stand for. */
export interface ChosenIdentity {
  clientId?: string;
  objectId?: string;
  resourceId?: string;
  selection: IdentitySelection;
  /** The flag or variable the selector came from, e.g. `AZURE_CLIENT_ID`. */
  setting?: string;
}

export function selectIdentity(options: IdentitySelectorOptions, env: NodeJS.ProcessEnv): ResolvedIdentity {
  const fromOptions = selectors.filter((by) => nonEmpty(options[by]));
  if (fromOptions.length > 0) {
    return selectOne(fromOptions, (by) => ({
      value: options[by]!.trim(),
      setting: identitySelectorSettings[by].flag,
    }));
  }
  const fromEnvironment = selectors.filter((by) => nonEmpty(env[identitySelectorSettings[by].envName]));
  return selectOne(fromEnvironment, (by) => {
    const { envName } = identitySelectorSettings[by];
    return { value: env[envName]!.trim(), setting: envName };
  });
}

function selectOne(
  present: IdentitySelector[],
  read: (by: IdentitySelector) => { value: string; setting: string },
): ResolvedIdentity {
  if (present.length === 0) return { identity: { kind: "system-assigned" } };
  if (present.length > 1) {
    const settings = present.map((by) => read(by).setting);
    throw new UsageError(
      `Choose one user-assigned identity: ${settings.join(" and ")} are both set. Keep one of them, or none for the system-assigned identity.`,
      { setting: settings.join(", ") },
    );
  }
  const by = present[0]!;
  const { value, setting } = read(by);
  if (by === "resourceId") {
    if (!parseUserAssignedIdentityId(value)) {
      throw new UsageError(
        `${setting} must be the resource ID of a user-assigned identity, like /subscriptions/<subscription ID>/resourceGroups/<group>/providers/Microsoft.ManagedIdentity/userAssignedIdentities/<name>, not '${value}'.`,
        { setting },
      );
    }
  } else {
    assertGuid(value, setting);
  }
  return { identity: { kind: "user-assigned", by, value }, setting };
}

function nonEmpty(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}
