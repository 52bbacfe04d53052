// What a 403 from Azure Resource Manager or Key Vault means for a managed identity, and the command that fixes it.
import { type ArmAuthorization, armAuthorizationOf } from "./arm-request-action.ts";
import { isCheckBeforeCreating } from "./creation-check.ts";
import { type ErrorFields, errorFields } from "./error-shapes.ts";
import { objectIdOfAuthorizationHeader } from "./principal.ts";

/** An explanation when `error` is an ARM or Key Vault authorization failure, else undefined. */
export function explainAuthorizationError(error: unknown): string | undefined {
  const fields = errorFields(error);
  if (!fields || (fields.statusCode !== undefined && fields.statusCode !== 403)) return undefined;
  if (fields.code === "AuthorizationFailed") {
    const denied = isCheckBeforeCreating(error) ? deniedArmRequest(fields) : undefined;
    if (denied) return creationDenial(denied, objectIdOf(fields));
    return explainArmAuthorizationFailed(fields);
  }
  // A HEAD has no body, so no code either: ARM's 403 to an existence check is recognised by its URL.
  if (fields.statusCode === 403 && fields.code === undefined && deniedArmRequest(fields)) {
    return explainArmAuthorizationFailed(fields);
  }
  if (fields.statusCode === 403) return explainKeyVaultForbidden(fields);
  return undefined;
}

// ARM's wording (code AuthorizationFailed, HTTP 403): "The client '{appid}' with object id '{oid}' does not have
// authorization to perform action '{action}' over scope '{scope}' or the scope is invalid. If access was recently
// granted, please refresh your credentials."
const armAuthorizationFailed =
  /The client '([^']*)' with object id '([^']*)' does not have authorization to perform action '([^']*)' over scope '([^']*)'/;

function explainArmAuthorizationFailed(fields: ErrorFields): string {
  const match = armAuthorizationFailed.exec(fields.message);
  if (match) {
    const [, , objectId, action, scope] = match as unknown as [string, string, string, string, string];
    return armDenial(action, scope, objectId);
  }
  // The SDK kept no message (arm-resources 8's pagers: "Pagination failed with unexpected statusCode 403"; a HEAD:
  // "Unexpected status code: 403"): the request says what was denied, and its bearer token to whom.
  const denied = deniedArmRequest(fields);
  if (!denied) return `Azure Resource Manager refused the request (AuthorizationFailed): ${fields.message}`;
  const objectId = objectIdOfAuthorizationHeader(fields.requestHeader("authorization"));
  if (fields.requestMethod?.toUpperCase() !== "HEAD") return armDenial(denied.action, denied.scope, objectId);
  return creationDenial(denied, objectId);
}

// An existence check (a HEAD, or a read marked by checkBeforeCreating) comes before creating what is missing, and a
// role cannot be assigned on something that may not exist: name the role and scope that creating it needs
// (Contributor includes the read).
function creationDenial(denied: ArmAuthorization, objectId: string | undefined): string {
  const creation = denied.action.replace(/\/read$/i, "/write");
  const role = roleForArmAction(creation);
  return [
    `Azure Resource Manager denied checking whether ${denied.scope} exists ('${denied.action}') to the managed identity${objectId ? ` (object ID ${objectId})` : ""}.`,
    `Creating it needs the ${role} role, which also allows the check: grant it, wait a few minutes, and run again: ${roleAssignmentCommand(assigneeOf(objectId), role, assignmentScope(creation, denied.scope))}`,
  ].join("\n");
}

// The object ID ARM names in its message, else the `oid` of the bearer token the request carried.
function objectIdOf(fields: ErrorFields): string | undefined {
  return (
    armAuthorizationFailed.exec(fields.message)?.[2] ??
    objectIdOfAuthorizationHeader(fields.requestHeader("authorization"))
  );
}

function deniedArmRequest(fields: ErrorFields): ArmAuthorization | undefined {
  return fields.requestUrl && fields.requestMethod
    ? armAuthorizationOf(fields.requestMethod, fields.requestUrl)
    : undefined;
}

function armDenial(action: string, scope: string, objectId: string | undefined): string {
  const role = roleForArmAction(action);
  return [
    `Azure Resource Manager denied '${action}' on ${scope} to the managed identity${objectId ? ` (object ID ${objectId})` : ""}.`,
    `Grant it the ${role} role, wait a few minutes, and run again: ${roleAssignmentCommand(assigneeOf(objectId), role, assignmentScope(action, scope))}`,
  ].join("\n");
}

function assigneeOf(objectId: string | undefined): string {
  return objectId ?? "<object ID from the 'Signed in as' line>";
}

/** The least built-in role that allows `action` among those these samples need. */
export function roleForArmAction(action: string): string {
  const lower = action.toLowerCase();
  if (lower.endsWith("/read")) return "Reader";
  if (lower.startsWith("microsoft.authorization/")) return "User Access Administrator";
  if (lower.startsWith("microsoft.managedidentity/") && lower.endsWith("/assign/action")) {
    return "Managed Identity Operator";
  }
  return "Contributor";
}

// A role assignment needs a scope that exists, and a denied write is often the creation of the very resource named
// as the scope: assign at its resource group (or the subscription, for creating a resource group) instead. The same
// for a read of one resource inside a group: ARM checks access before it looks, so the denial does not say the
// resource exists, and the name read is often one the caller just chose for what it is about to create.
function assignmentScope(action: string, scope: string): string {
  const lower = action.toLowerCase();
  if (lower.endsWith("/read")) {
    return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\//i.test(scope)
      ? (/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(scope)?.[0] ?? scope)
      : scope;
  }
  if (!lower.endsWith("/write")) return scope;
  if (lower === "microsoft.resources/subscriptions/resourcegroups/write") {
    return /^\/subscriptions\/[^/]+/i.exec(scope)?.[0] ?? scope;
  }
  return /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+/i.exec(scope)?.[0] ?? scope;
}

// Key Vault's wording with Azure RBAC (HTTP 403, code Forbidden, inner code ForbiddenByRbac):
// "Caller is not authorized to perform action on resource.\r\n…\r\nCaller: appid=…;oid=…;iss=…\r\n
//  Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'\r\nResource: '/subscriptions/…/vaults/{name}/secrets/…'
//  \r\nAssignment: (not found)\r\n…\r\nVault: {name};location={region}"
// With access policies (inner code AccessDenied): "The user, group or application 'appid=…;oid=…;iss=…' does not have
// secrets get permission on key vault '{name};location={region}'. …", or "Access denied. Caller was not found on any
// access policy.\r\nCaller: appid=…;oid=…;…\r\nVault: {name};location={region}".
function explainKeyVaultForbidden(fields: ErrorFields): string | undefined {
  const { message } = fields;
  const innerCode = keyVaultInnerErrorCode(fields.body);
  const objectId = /oid=([^;'\s]+)/.exec(message)?.[1];
  const vault = /key vault '([^;']+)/.exec(message)?.[1] ?? /Vault: ([^;\s]+)/.exec(message)?.[1];
  const action = /Action: '([^']+)'/.exec(message)?.[1];

  if (innerCode === "ForbiddenByRbac" || (action && /Caller: /.test(message))) {
    if (!objectId || !action) return undefined;
    const resource = /Resource: '([^']+)'/.exec(message)?.[1];
    const vaultId = resource ? /^.*?\/vaults\/[^/]+/i.exec(resource)?.[0] : undefined;
    const scope = vaultId ?? `$(az keyvault show --name ${vault ?? "<vault>"} --query id --output tsv)`;
    const role = roleForKeyVaultAction(action);
    return [
      `Key Vault${vault ? ` '${vault}'` : ""} denied '${action}' to the managed identity (object ID ${objectId}); the vault uses Azure RBAC.`,
      `Grant it the ${role} role, wait a few minutes, and run again: ${roleAssignmentCommand(objectId, role, scope)}`,
    ].join("\n");
  }

  const policy = /does not have (\w+) (\w+) permission/.exec(message);
  if (innerCode === "AccessDenied" || policy || /not found on any access policy/i.test(message)) {
    if (!objectId) return undefined;
    const kind = policy?.[1] ?? "secrets";
    const permission = policy?.[2] ?? "get";
    const permissions = [...new Set(["get", "list", permission.toLowerCase()])].join(" ");
    const flag = accessPolicyFlags[kind.toLowerCase()] ?? "--secret-permissions";
    return [
      `Key Vault${vault ? ` '${vault}'` : ""} denied ${kind} ${permission} to the managed identity (object ID ${objectId}); the vault uses access policies.`,
      `Give it an access policy and run again: az keyvault set-policy --name ${vault ?? "<vault>"} --object-id ${objectId} ${flag} ${permissions}`,
    ].join("\n");
  }
  return undefined;
}

const accessPolicyFlags: Record<string, string> = {
  secrets: "--secret-permissions",
  keys: "--key-permissions",
  certificates: "--certificate-permissions",
};

/** The Key Vault data-plane role that allows `action` (Microsoft.KeyVault/vaults/{secrets|keys|certificates}/…). */
export function roleForKeyVaultAction(action: string): string {
  const lower = action.toLowerCase();
  const reads = /\/(read|readmetadata\/action|getsecret\/action)$/.test(lower);
  if (lower.includes("/vaults/keys/")) {
    return reads || /\/(encrypt|decrypt|sign|verify|wrap|unwrap)\//.test(lower)
      ? "Key Vault Crypto User"
      : "Key Vault Crypto Officer";
  }
  if (lower.includes("/vaults/certificates/")) {
    return reads ? "Key Vault Certificate User" : "Key Vault Certificates Officer";
  }
  return reads ? "Key Vault Secrets User" : "Key Vault Secrets Officer";
}

/** The `az` command that grants `role` at `scope` to a managed identity's service principal. */
export function roleAssignmentCommand(objectId: string, role: string, scope: string): string {
  return `az role assignment create --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --role "${role}" --scope "${scope}"`;
}

// @azure/keyvault-secrets keeps the body as `details` ({ error: { code, message, innerError: { code } } }).
function keyVaultInnerErrorCode(body: unknown): string | undefined {
  const error = (body as { error?: { innerError?: { code?: unknown }; innererror?: { code?: unknown } } })
    ?.error;
  const code = error?.innerError?.code ?? error?.innererror?.code;
  return typeof code === "string" ? code : undefined;
}
