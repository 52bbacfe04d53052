// The /deletedsecrets resource of the Key Vault data plane (soft delete): get and list deleted secrets, recover, purge.
// Source: azure-rest-api-specs specification/keyvault/data-plane (DeletedSecretBundle, DeletedSecretItem) and the
// azure-sdk-for-js keyvault-secrets recordings (404 "Deleted Secret not found", purge 204, recover body).
import { keyVaultErrors } from "./keyvault-errors.ts";
import type { DeletedSecretRecord } from "./keyvault-store.ts";
import {
  attributesOf,
  deletedSecretBundle,
  deletionOf,
  latestVersion,
  SECRET_PERMISSIONS,
  secretBundle,
  secretId,
} from "./secrets.ts";
import { type KeyVaultRequest, type KeyVaultRoute, pageOf } from "./vault-request.ts";

function deletedSecret(request: KeyVaultRequest): DeletedSecretRecord {
  if (!request.vault.softDelete) throw keyVaultErrors.softDeleteDisabled();
  const name = request.params.secretName ?? "";
  const deleted = request.secrets.findDeleted(name);
  if (!deleted) throw keyVaultErrors.deletedSecretNotFound(name);
  return deleted;
}

export const deletedSecretRoutes: KeyVaultRoute[] = [
  {
    method: "GET",
    path: "/deletedsecrets",
    permission: SECRET_PERMISSIONS.list,
    handler(request) {
      if (!request.vault.softDelete) throw keyVaultErrors.softDeleteDisabled();
      const page = pageOf(request.secrets.listDeleted(), (s) => s.name.toLowerCase(), request);
      const { vault } = request;
      return {
        status: 200,
        body: {
          value: page.value.map((deleted) => {
            const latest = latestVersion(deleted);
            // A DeletedSecretItem: no version in its ID.
            return {
              ...deletionOf(vault, deleted),
              id: secretId(vault, deleted.name),
              attributes: attributesOf(latest, vault),
              ...(latest.contentType !== undefined ? { contentType: latest.contentType } : {}),
              ...(latest.tags !== undefined ? { tags: latest.tags } : {}),
            };
          }),
          nextLink: page.nextLink,
        },
      };
    },
  },
  {
    method: "GET",
    path: "/deletedsecrets/:secretName",
    // The REST reference: "This operation requires the secrets/list permission."
    permission: SECRET_PERMISSIONS.list,
    handler(request) {
      return { status: 200, body: deletedSecretBundle(request.vault, deletedSecret(request)) };
    },
  },
  {
    method: "POST",
    path: "/deletedsecrets/:secretName/recover",
    permission: SECRET_PERMISSIONS.recover,
    async handler(request) {
      if (!request.vault.softDelete) throw keyVaultErrors.softDeleteDisabled();
      const name = request.params.secretName ?? "";
      const deleted = request.secrets.findDeleted(name);
      // Recovering a name that is not deleted answers like a missing secret (azure-sdk-for-js recordings).
      if (!deleted) throw keyVaultErrors.secretNotFound(name);
      const secret = request.secrets.recover(deleted);
      await request.commit();
      return { status: 200, body: secretBundle(request.vault, secret, latestVersion(secret), false) };
    },
  },
  {
    method: "DELETE",
    path: "/deletedsecrets/:secretName",
    permission: SECRET_PERMISSIONS.purge,
    async handler(request) {
      const deleted = deletedSecret(request);
      if (request.vault.purgeProtection)
        throw keyVaultErrors.purgeProtected({ name: request.vault.name, location: request.vault.location });
      request.secrets.purge(deleted);
      await request.commit();
      return { status: 204 };
    },
  },
];
