// Key Vault's data-plane error bodies `{"error":{"code","message","innererror":{"code"}}}` and its 401 challenge:
// every Key Vault error the emulator sends is built here. Wording is Key Vault's own, as quoted from real responses
// in Azure SDK test recordings and issue reports (cited per factory); the few whose real wording could not be found
// say so in their comment and in the emulator README's fidelity table.
import type { Reply } from "../http/reply.ts";

export const KEY_VAULT_RESOURCE = "https://vault.azure.net";

/**
 * Key Vault's first-party application ID: tokens whose audience is it are accepted too (AKV10022 messages name both,
 * e.g. "Expected https://vault.azure.net or cfa8b339-…", argoproj-labs/argocd-vault-plugin#621).
 */
export const KEY_VAULT_APPLICATION_ID = "cfa8b339-82a2-471a-a3c9-0fc0be7a4093";

/**
 * The authority a vault names in its challenge. Vaults answered `https://login.windows.net/{tid}` until about 2022
 * (azure-sdk-for-js recordings) and `https://login.microsoftonline.com/{tid}` since (Azure/azure-sdk-for-js#31094,
 * 2024); the SDK only takes the tenant from it.
 */
const KEY_VAULT_CHALLENGE_AUTHORITY = "https://login.microsoftonline.com";

export interface KeyVaultErrorBody {
  error: { code: string; message: string; innererror?: { code: string } };
}

/** Thrown by the Key Vault handlers; the service turns it into the status, headers and body below. */
export class KeyVaultError extends Error {
  readonly status: number;
  readonly code: string;
  readonly innerCode: string | undefined;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { innerCode?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "KeyVaultError";
    this.status = status;
    this.code = code;
    this.innerCode = options.innerCode;
    this.headers = options.headers ?? {};
  }

  toBody(): KeyVaultErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.innerCode ? { innererror: { code: this.innerCode } } : {}),
      },
    };
  }

  toReply(): Reply {
    return { status: this.status, headers: this.headers, body: this.toBody() };
  }
}

/** The header every Key Vault 401 carries; the SDK reads the tenant and the resource (scope) from it. */
function keyVaultChallenge(tenantId: string): Record<string, string> {
  return {
    "www-authenticate": `Bearer authorization="${KEY_VAULT_CHALLENGE_AUTHORITY}/${tenantId}", resource="${KEY_VAULT_RESOURCE}"`,
  };
}

/** What a vault names in its 403 messages: `{name};location={region}`. */
export interface VaultReference {
  name: string;
  location: string;
}

/** How Key Vault names the caller in its messages: `appid=…;oid=…;iss=…` plus, for managed identities, `xms_mirid`. */
export interface CallerDescription {
  appId: string;
  objectId: string;
  tenantId: string;
  managedIdentityResourceId?: string;
  azureResourceId?: string;
}

function describeCaller(caller: CallerDescription): string {
  // Managed identities are named with their resource IDs after the issuer (e.g. the 403s quoted in
  // Azure/secrets-store-csi-driver-provider-azure docs: "...;iss=https://sts.windows.net/{tid}/;xms_mirid=...").
  return [
    `appid=${caller.appId}`,
    `oid=${caller.objectId}`,
    `iss=https://sts.windows.net/${caller.tenantId}/`,
    ...(caller.managedIdentityResourceId ? [`xms_mirid=${caller.managedIdentityResourceId}`] : []),
    ...(caller.azureResourceId ? [`xms_az_rid=${caller.azureResourceId}`] : []),
  ].join(";");
}

const vaultTag = (vault: VaultReference) => `${vault.name};location=${vault.location}`;

export const keyVaultErrors = {
  /** No (Bearer) token: the challenge the SDK answers (wording as recorded in 2026: azure-sdk-assets keyvault-secrets). */
  missingToken(tenantId: string): KeyVaultError {
    return new KeyVaultError(
      401,
      "Unauthorized",
      "AKV10000: Request is missing a Bearer, PoP, or MTLS_POP token.",
      {
        headers: keyVaultChallenge(tenantId),
      },
    );
  },
  /** A token for another resource (MicrosoftDocs/azure-docs#109562, turbot/steampipe-plugin-azure#452). */
  wrongAudience(tenantId: string, audience: string): KeyVaultError {
    return new KeyVaultError(
      401,
      "Unauthorized",
      `AKV10022: Invalid audience. Expected ${KEY_VAULT_RESOURCE}, found: ${audience}.`,
      { headers: keyVaultChallenge(tenantId) },
    );
  },
  /** A token from another tenant than the vault's (Azure/azure-sdk-for-js#6221, #12539). */
  wrongIssuer(vaultTenantId: string, tokenIssuer: string): KeyVaultError {
    return new KeyVaultError(
      401,
      "Unauthorized",
      `AKV10032: Invalid issuer. Expected one of https://sts.windows.net/${vaultTenantId}/, found ${tokenIssuer}.`,
      { headers: keyVaultChallenge(vaultTenantId) },
    );
  },
  /** A signature Key Vault cannot verify with any key it knows (Azure-Samples/azuresandbox#188, #362). */
  unverifiableSignature(tenantId: string, encodedHeader: string): KeyVaultError {
    return new KeyVaultError(
      401,
      "Unauthorized",
      `AKV10046: Unable to resolve the key used for signature validation. EncodedJwtHeader: '${encodedHeader}'.`,
      { headers: keyVaultChallenge(tenantId) },
    );
  },
  /** An expired token (Azure/azure-sdk-for-python#27266, CDCgov/prime-reportstream#2566). */
  expiredToken(tenantId: string): KeyVaultError {
    return new KeyVaultError(401, "Unauthorized", "[TokenExpired] Error validating token: 'S2S12086'.", {
      headers: keyVaultChallenge(tenantId),
    });
  },
  /** Not yet valid (nbf in the future); wording as Managed HSM reports it (Azure/azure-sdk-for-java#26624). */
  tokenNotYetValid(tenantId: string): KeyVaultError {
    return new KeyVaultError(401, "Unauthorized", "Token not yet valid.", {
      headers: keyVaultChallenge(tenantId),
    });
  },

  /** RBAC vault, no role grants the data action (hashicorp/terraform-provider-azurerm#27817, microsoft/aoai-api-simulator#18). */
  forbiddenByRbac(
    caller: CallerDescription,
    action: string,
    resource: string,
    vault: VaultReference,
  ): KeyVaultError {
    const message = [
      "Caller is not authorized to perform action on resource.",
      "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
      `Caller: ${describeCaller(caller)}`,
      `Action: '${action}'`,
      `Resource: '${resource.toLowerCase()}'`,
      "Assignment: (not found)",
      "DenyAssignmentId: null",
      "DecisionReason: null ",
      `Vault: ${vaultTag(vault)}`,
      "",
    ].join("\r\n");
    return new KeyVaultError(403, "Forbidden", message, { innerCode: "ForbiddenByRbac" });
  },
  /** Access-policy vault, the caller's policy lacks the permission (turbot/steampipe-plugin-azure#127 and others). */
  accessPolicyDenied(caller: CallerDescription, permission: string, vault: VaultReference): KeyVaultError {
    return new KeyVaultError(
      403,
      "Forbidden",
      `The user, group or application '${describeCaller(caller)}' does not have secrets ${permission} permission on key vault '${vaultTag(vault)}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
      { innerCode: "AccessDenied" },
    );
  },
  /** Access-policy vault with no policy at all for the caller (aztfmod/level0#23). */
  callerNotInAnyAccessPolicy(caller: CallerDescription, vault: VaultReference): KeyVaultError {
    return new KeyVaultError(
      403,
      "Forbidden",
      [
        "Access denied. Caller was not found on any access policy.",
        `Caller: ${describeCaller(caller)}`,
        `Vault: ${vaultTag(vault)}`,
      ].join("\r\n"),
      { innerCode: "AccessDenied" },
    );
  },

  /** Reading a disabled version (azure-sdk-for-js keyvault-secrets tests; the inner code as the App Configuration
   * provider's tests quote it). */
  secretDisabled(): KeyVaultError {
    return new KeyVaultError(403, "Forbidden", "Operation get is not allowed on a disabled secret.", {
      innerCode: "SecretDisabled",
    });
  },
  /** No such secret (or version): azure-sdk-for-js keyvault-secrets recordings. `nameOrId` is `name` or `name/version`. */
  secretNotFound(nameOrId: string): KeyVaultError {
    return new KeyVaultError(
      404,
      "SecretNotFound",
      `A secret with (name/id) ${nameOrId} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182`,
    );
  },
  /** No such deleted secret: what the SDK's delete poller reads until the deletion shows (azure-sdk-for-js recordings). */
  deletedSecretNotFound(name: string): KeyVaultError {
    return new KeyVaultError(404, "SecretNotFound", `Deleted Secret not found: ${name}`);
  },
  /** Setting a name that is deleted but not purged (Azure SDK tests quote it with this inner code). */
  deletedButRecoverable(name: string): KeyVaultError {
    return new KeyVaultError(
      409,
      "Conflict",
      `Secret ${name} is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.`,
      { innerCode: "ObjectIsDeletedButRecoverable" },
    );
  },
  /** Purge on a vault with purge protection (quoted in a terraform configuration's comment, 2022). */
  purgeProtected(vault: VaultReference): KeyVaultError {
    return new KeyVaultError(
      403,
      "Forbidden",
      `Operation "purge" is not allowed because purge protection is enabled for this vault. Key Vault service will automatically purge it after the retention period has passed. Vault: ${vaultTag(vault)}`,
    );
  },
  /** Soft delete off: there is nothing to recover or purge. Emulator wording. */
  softDeleteDisabled(): KeyVaultError {
    return new KeyVaultError(
      400,
      "BadParameter",
      "This operation is not supported on a vault whose soft delete is disabled.",
    );
  },
  /** A restore whose blob is not a backup (recorded: azure-sdk-assets keyvault-secrets, restore malformed backup). */
  malformedBackup(): KeyVaultError {
    return new KeyVaultError(
      400,
      "Malformed backup blob",
      "Backup blob contains invalid or corrupt version.",
    );
  },
  /** A restore of a name the vault already has. Emulator wording: Key Vault's own was not found in a recording. */
  secretAlreadyExists(name: string): KeyVaultError {
    return new KeyVaultError(409, "Conflict", `Secret ${name} already exists in this vault.`);
  },
  /** A secret name outside 1-127 letters, digits and hyphens (aspnet/MicrosoftConfigurationBuilders#22). */
  invalidName(name: string): KeyVaultError {
    return new KeyVaultError(400, "BadParameter", `The request URI contains an invalid name: ${name}`);
  },
  /** An api-version the service does not know (quoted in inspec/inspec-azure's api-version fallback). */
  unsupportedApiVersion(apiVersion: string, latest: string): KeyVaultError {
    return new KeyVaultError(
      400,
      "BadParameter",
      `The specified version (${apiVersion}) is not recognized. Consider using the latest supported version (${latest}).`,
    );
  },
  /** No api-version at all. Emulator wording: Key Vault's own answer to this was not found in any public report. */
  missingApiVersion(latest: string): KeyVaultError {
    return new KeyVaultError(
      400,
      "BadParameter",
      `The 'api-version' query parameter is required. Consider using the latest supported version (${latest}).`,
    );
  },
  /** A request body or query value Key Vault refuses. `message` is the emulator's wording of the reason. */
  /** A secret value over Key Vault's size limit (message as the service words it, seen in Azure/azure-cli#5639). */
  secretTooLarge(maxLength: number): KeyVaultError {
    return new KeyVaultError(
      400,
      "BadParameter",
      `Secret is beyond the maximum permitted length of ${maxLength} characters.`,
    );
  },
  badParameter(message: string): KeyVaultError {
    return new KeyVaultError(400, "BadParameter", message);
  },
  /** A path Key Vault has no operation for. Emulator wording. */
  noSuchOperation(method: string, path: string): KeyVaultError {
    return new KeyVaultError(404, "NotFound", `No Key Vault operation matches '${method} ${path}'.`);
  },
  /** A known path with a method it does not support. Emulator wording. */
  methodNotAllowed(method: string): KeyVaultError {
    return new KeyVaultError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
    );
  },
  requestTooLarge(limitBytes: number): KeyVaultError {
    return new KeyVaultError(
      413,
      "RequestEntityTooLarge",
      `The request body exceeds the maximum size of ${limitBytes} bytes.`,
    );
  },
};
