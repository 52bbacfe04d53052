// May this caller do this to this vault? Azure RBAC data actions (inherited from subscription, group, vault and secret
// scopes) when the vault says enableRbacAuthorization, else the vault's access policies; a denial is Key Vault's 403.
import type { RbacEvaluator } from "../auth/rbac.ts";
import { keyVaultErrors } from "./keyvault-errors.ts";
import type { VaultCaller } from "./vault-authentication.ts";
import type { KeyVaultPermission } from "./vault-request.ts";
import type { VaultProfile } from "./vaults.ts";

/** Throws Key Vault's Forbidden unless `caller` may use `permission` on the vault (or on `secretName` in it). */
export function authorizeVaultOperation(options: {
  caller: VaultCaller;
  vault: VaultProfile;
  permission: KeyVaultPermission;
  secretName: string | undefined;
  rbac: RbacEvaluator;
}): void {
  const { caller, vault, permission, secretName, rbac } = options;
  const reference = { name: vault.name, location: vault.location };
  if (vault.rbac) {
    // Role assignments may be made on a single secret: its scope is the vault's ID plus /secrets/{name}.
    const scope = secretName ? `${vault.resourceId}/secrets/${secretName}` : vault.resourceId;
    if (!rbac.isDataActionAllowed(caller.objectId, permission.dataAction, scope))
      throw keyVaultErrors.forbiddenByRbac(caller.description, permission.dataAction, scope, reference);
    return;
  }
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  const policies = vault.accessPolicies.filter(
    (p) =>
      same(p.objectId, caller.objectId) &&
      (p.tenantId === "" || same(p.tenantId, caller.tenantId)) &&
      // A compound identity's policy applies only when that application calls for the object.
      (p.applicationId === undefined || same(p.applicationId, caller.clientId)),
  );
  if (policies.length === 0) throw keyVaultErrors.callerNotInAnyAccessPolicy(caller.description, reference);
  const granted = policies.some(
    (p) => p.secretPermissions.includes(permission.accessPolicy) || p.secretPermissions.includes("all"),
  );
  if (!granted)
    throw keyVaultErrors.accessPolicyDenied(caller.description, permission.accessPolicy, reference);
}
