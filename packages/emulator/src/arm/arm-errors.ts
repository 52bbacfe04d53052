// Azure Resource Manager's error bodies `{"error":{"code","message"}}`: every ARM error the emulator sends is built here.
// Codes and wording follow ARM's common error response (azure-rest-api-specs: specification/common-types/resource-management/v5/types.json)
// and the messages ARM really returns, as quoted in Azure SDK and tooling issues (cited per factory).
import type { Reply } from "../http/reply.ts";

export interface ArmErrorDetail {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorDetail[];
  additionalInfo?: unknown[];
}

/** Thrown by ARM handlers; the gateway turns it into the status, headers and body below. */
export class ArmError extends Error {
  readonly status: number;
  readonly code: string;
  readonly headers: Record<string, string>;
  readonly details: ArmErrorDetail[] | undefined;
  readonly target: string | undefined;
  readonly additionalInfo: unknown[] | undefined;

  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    details?: ArmErrorDetail[],
    more: { target?: string; additionalInfo?: unknown[] } = {},
  ) {
    super(message);
    this.name = "ArmError";
    this.status = status;
    this.code = code;
    this.headers = headers;
    this.details = details;
    this.target = more.target;
    this.additionalInfo = more.additionalInfo;
  }

  /** An error whose body was built elsewhere (e.g. by the template engine), sent as is. */
  static fromDetail(status: number, detail: ArmErrorDetail): ArmError {
    return new ArmError(status, detail.code, detail.message, {}, detail.details, {
      ...(detail.target !== undefined ? { target: detail.target } : {}),
      ...(detail.additionalInfo !== undefined ? { additionalInfo: detail.additionalInfo } : {}),
    });
  }

  toDetail(): ArmErrorDetail {
    const error: ArmErrorDetail = { code: this.code, message: this.message };
    if (this.target !== undefined) error.target = this.target;
    if (this.details) error.details = this.details;
    if (this.additionalInfo) error.additionalInfo = this.additionalInfo;
    return error;
  }

  toBody(): { error: ArmErrorDetail } {
    return { error: this.toDetail() };
  }

  toReply(): Reply {
    return { status: this.status, headers: this.headers, body: this.toBody() };
  }
}

/** The WWW-Authenticate challenge ARM sends with a 401 (RFC 6750 `invalid_token`). */
function bearerChallenge(description: string): Record<string, string> {
  return {
    "www-authenticate": `Bearer authorization_uri="https://login.windows.net/", error="invalid_token", error_description="${description.replaceAll('"', "'")}"`,
    "x-ms-failure-cause": "gateway",
  };
}

/** ARM's own rendering of a UTC time in messages, e.g. '5/14/2023 3:04:05 PM'. */
function armMessageTime(date: Date): string {
  const hours = date.getUTCHours();
  const h12 = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ${h12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

export const ALLOWED_ARM_AUDIENCES = [
  "https://management.core.windows.net/",
  "https://management.core.windows.net",
  "https://management.azure.com/",
  "https://management.azure.com",
] as const;

export const armErrors = {
  missingAuthorization(): ArmError {
    const message = "Authentication failed. The 'Authorization' header is missing.";
    return new ArmError(
      401,
      "AuthenticationFailed",
      message,
      bearerChallenge("The authentication failed because of missing 'Authorization' header."),
    );
  },
  malformedAuthorization(): ArmError {
    const message = "Authentication failed. The 'Authorization' header is provided in an invalid format.";
    return new ArmError(401, "AuthenticationFailed", message, bearerChallenge(message));
  },
  /** A token that is not a JWT at all. */
  unreadableToken(): ArmError {
    const message = "Authentication failed.";
    return new ArmError(401, "AuthenticationFailed", message, bearerChallenge(message));
  },
  /** Signature does not verify (e.g. tampered, or signed by another key). Seen as "The access token is invalid." (Azure/azure-powershell#27882). */
  invalidSignature(): ArmError {
    const message = "The access token is invalid.";
    return new ArmError(401, "InvalidAuthenticationToken", message, bearerChallenge(message));
  },
  /** Wording from ARM responses quoted in Azure-Samples/active-directory-dotnetcore-daemon-v2#145 and hashicorp/go-azure-helpers#51. */
  wrongAudience(audience: string): ArmError {
    const allowed = ALLOWED_ARM_AUDIENCES.map((a) => `'${a}'`).join(",");
    const message = `The access token has been obtained for wrong audience or resource '${audience}'. It should exactly match with one of the allowed audiences ${allowed}.`;
    return new ArmError(401, "InvalidAuthenticationTokenAudience", message, bearerChallenge(message));
  },
  /** Wording from ARM responses quoted in microsoft/vscode-azureappservice#2483. */
  expiredToken(expiry: Date, now: Date): ArmError {
    const message = `The access token expiry UTC time '${armMessageTime(expiry)}' is earlier than current UTC time '${armMessageTime(now)}'.`;
    return new ArmError(401, "ExpiredAuthenticationToken", message, bearerChallenge(message));
  },
  notYetValidToken(notBefore: Date, now: Date): ArmError {
    const message = `The access token is not yet valid. The token is valid from UTC time '${armMessageTime(notBefore)}' but the current UTC time is '${armMessageTime(now)}'.`;
    return new ArmError(401, "InvalidAuthenticationToken", message, bearerChallenge(message));
  },
  wrongTenant(tokenIssuer: string, expectedTenant: string): ArmError {
    const message = `The access token is from the wrong issuer '${tokenIssuer}'. It must match the tenant 'https://sts.windows.net/${expectedTenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${expectedTenant}' to get the token. Note, if the subscription is transferred to another tenant there is no impact to the services, but information about new tenant could take time to propagate (up to an hour). If you just transferred your subscription and see this error message, please try back later.`;
    return new ArmError(401, "InvalidAuthenticationTokenTenant", message, bearerChallenge(message));
  },
  /** The exact AuthorizationFailed wording ARM uses for a missing RBAC permission. */
  authorizationFailed(clientId: string, objectId: string, action: string, scope: string): ArmError {
    const message = `The client '${clientId}' with object id '${objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`;
    return new ArmError(403, "AuthorizationFailed", message);
  },
  missingApiVersion(): ArmError {
    return new ArmError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  },
  invalidApiVersion(apiVersion: string): ArmError {
    return new ArmError(
      400,
      "InvalidApiVersionParameter",
      `The api-version '${apiVersion}' is invalid. The supported versions are '${SUPPORTED_VERSIONS_HINT}'.`,
    );
  },
  subscriptionNotFound(subscriptionId: string): ArmError {
    return new ArmError(
      404,
      "SubscriptionNotFound",
      `The subscription '${subscriptionId}' could not be found.`,
    );
  },
  /** 400 for a subscription ID that is not a GUID (as quoted in Azure/apiops#460, velero-io/velero#4737). */
  invalidSubscriptionId(subscriptionId: string): ArmError {
    return new ArmError(
      400,
      "InvalidSubscriptionId",
      `The provided subscription identifier '${subscriptionId}' is malformed or invalid.`,
    );
  },
  resourceGroupNotFound(name: string): ArmError {
    return new ArmError(404, "ResourceGroupNotFound", `Resource group '${name}' could not be found.`);
  },
  /** A write into (or a re-creation of) a group whose deletion is still running. */
  resourceGroupBeingDeleted(name: string): ArmError {
    return new ArmError(
      409,
      "ResourceGroupBeingDeleted",
      `The resource group '${name}' is in deprovisioning state and cannot perform this operation.`,
    );
  },
  resourceNotFound(type: string, name: string, resourceGroup: string): ArmError {
    return new ArmError(
      404,
      "ResourceNotFound",
      `The Resource '${type}/${name}' under resource group '${resourceGroup}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  },
  roleAssignmentNotFound(name: string): ArmError {
    return new ArmError(404, "RoleAssignmentNotFound", `The role assignment '${name}' is not found.`);
  },
  roleDefinitionNotFound(id: string): ArmError {
    return new ArmError(
      404,
      "RoleDefinitionDoesNotExist",
      `The specified role definition with ID '${id}' does not exist.`,
    );
  },
  roleAssignmentExists(): ArmError {
    return new ArmError(409, "RoleAssignmentExists", "The role assignment already exists.");
  },
  /** Body that is not JSON; ARM's deserializer names the parse problem. */
  invalidRequestContent(reason: string): ArmError {
    return new ArmError(
      400,
      "InvalidRequestContent",
      `The request content was invalid and could not be deserialized: '${reason}'.`,
    );
  },
  locationRequired(): ArmError {
    return new ArmError(400, "LocationRequired", "The location property is required for this definition.");
  },
  invalidResourceGroupLocation(requested: string, existing: string): ArmError {
    return new ArmError(
      409,
      "InvalidResourceGroupLocation",
      `Invalid resource group location '${requested}'. The Resource group already exists in location '${existing}'.`,
    );
  },
  invalidResourceGroupName(name: string): ArmError {
    return new ArmError(
      400,
      "InvalidResourceGroupName",
      `Resource group name '${name}' is invalid. It can contain up to 90 characters, alphanumeric characters, hyphens, underscores, periods, and parenthesis and cannot end in a period.`,
    );
  },
  invalidFilter(filter: string): ArmError {
    return new ArmError(
      400,
      "InvalidFilterInQueryString",
      `Invalid $filter '${filter}' specified in the query string.`,
    );
  },
  invalidSkipToken(): ArmError {
    return new ArmError(400, "InvalidSkipToken", "The $skiptoken value in the query string is invalid.");
  },
  /** ASP.NET's message for a path no controller serves, which ARM passes through. */
  noRouteMatches(url: string): ArmError {
    return new ArmError(404, "NotFound", `No HTTP resource was found that matches the request URI '${url}'.`);
  },
  methodNotAllowed(method: string): ArmError {
    return new ArmError(
      405,
      "MethodNotAllowed",
      `The requested resource does not support http method '${method}'.`,
    );
  },
  /** ARM's answer to a body that is not JSON (seen in `az rest` traffic: a PATCH without Content-Type). */
  unsupportedMediaType(contentType: string | undefined): ArmError {
    return new ArmError(
      415,
      "UnsupportedMediaType",
      `The content media type '${contentType ?? "<null>"}' is not supported. Only 'application/json' is supported.`,
    );
  },
  requestTooLarge(limitBytes: number): ArmError {
    return new ArmError(
      413,
      "RequestEntityTooLarge",
      `The request content size exceeds the maximum size of ${limitBytes} bytes.`,
    );
  },
  /** ARM's throttling answer; the SDK retries 429 only when Retry-After is present. */
  tooManyRequests(retryAfterSeconds: number): ArmError {
    return new ArmError(
      429,
      "TooManyRequests",
      "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00. For more information, see - https://aka.ms/srpthrottlinglimits",
      { "retry-after": String(retryAfterSeconds) },
    );
  },
  /** "The resource 'x' already exists in location 'westus' in resource group 'g'. A resource with the same name cannot be created in location 'eastus'. ..." (docs: error-storage-account-name; Azure/azure-service-operator#784). The status is not documented; 409 is assumed. */
  invalidResourceLocation(
    name: string,
    existing: string,
    resourceGroup: string,
    requested: string,
  ): ArmError {
    return new ArmError(
      409,
      "InvalidResourceLocation",
      `The resource '${name}' already exists in location '${existing}' in resource group '${resourceGroup}'. A resource with the same name cannot be created in location '${requested}'. Please select a new resource name.`,
    );
  },
  /** ARM's answer for a child resource whose parent does not exist. */
  parentResourceNotFound(parentName: string): ArmError {
    return new ArmError(
      404,
      "ParentResourceNotFound",
      `Can not perform requested operation on nested resource. Parent resource '${parentName}' not found.`,
    );
  },
  /** Emulator wording: Azure's exact message for a missing user-assigned identity was not found published. */
  userAssignedIdentityNotFound(resourceId: string, identityId: string): ArmError {
    return new ArmError(
      400,
      "FailedIdentityOperation",
      `Identity operation for resource '${resourceId}' failed: the user-assigned identity '${identityId}' was not found.`,
    );
  },

  // Microsoft.Storage (docs: "Resolve errors for storage account names"; azure-rest-api-specs validate example).
  storageAccountNameInvalid(name: string): ArmError {
    return new ArmError(
      400,
      "AccountNameInvalid",
      `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`,
      {},
      undefined,
      { target: name },
    );
  },
  storageAccountAlreadyTaken(name: string): ArmError {
    return new ArmError(
      409,
      "StorageAccountAlreadyTaken",
      `The storage account named ${name} is already taken.`,
      {},
      undefined,
      { target: name },
    );
  },
  storageAccountInAnotherResourceGroup(name: string): ArmError {
    return new ArmError(
      409,
      "StorageAccountInAnotherResourceGroup",
      `The account ${name} is already in another resource group in this subscription.`,
    );
  },
  /** "The AccountType Standard_LRS1 is invalid. For more information, see - https://aka.ms/storageaccountskus" (docs: deployment operations example). */
  invalidStorageAccountType(sku: string): ArmError {
    return new ArmError(
      400,
      "InvalidAccountType",
      `The AccountType ${sku} is invalid. For more information, see - https://aka.ms/storageaccountskus`,
    );
  },

  // Microsoft.KeyVault vaults (messages as quoted in Azure/azure-powershell#15115, Azure/AI-in-a-Box#104).
  vaultNameNotValid(name: string): ArmError {
    return new ArmError(
      400,
      "VaultNameNotValid",
      `The vault name '${name}' is invalid. A vault's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens. Follow this link for more information: https://go.microsoft.com/fwlink/?linkid=2147742`,
    );
  },
  vaultAlreadyExists(name: string): ArmError {
    return new ArmError(
      409,
      "VaultAlreadyExists",
      `The vault name '${name}' is already in use. Vault names are globally unique so it is possible that the name is already taken. If you are sure that the vault name was not taken then it is possible that a vault with the same name was recently deleted but not purged after being placed in a recoverable state. If the vault is in a recoverable state then the vault will need to be purged before reusing the name. For more information about VaultAlreadyExists, soft delete and purging a vault follow this link https://go.microsoft.com/fwlink/?linkid=2147740.`,
    );
  },

  /** Creating a vault whose name a soft-deleted vault holds (as quoted in Azure/azure-dev and azd issues). */
  vaultExistsInDeletedState(): ArmError {
    return new ArmError(
      409,
      "ConflictError",
      "A vault with the same name already exists in deleted state. You need to either recover or purge existing key vault. Follow this link https://go.microsoft.com/fwlink/?linkid=2149745 for more information on soft delete.",
    );
  },
  /** `createMode: recover` with no soft-deleted vault of that name (as quoted in terraform-provider-azurerm#12972). */
  softDeletedVaultDoesNotExist(): ArmError {
    return new ArmError(
      400,
      "SoftDeletedVaultDoesNotExist",
      "A soft deleted vault with the given name does not exist. Ensure that the name for the vault that is being attempted to recover is in a recoverable state.",
    );
  },
  /** GET or purge of a deleted vault that is not there. */
  deletedVaultNotFound(name: string): ArmError {
    return new ArmError(
      404,
      "ResourceNotFound",
      `The Resource 'Microsoft.KeyVault/deletedVaults/${name}' under resource group '<null>' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
    );
  },
  /** A resource provider namespace ARM does not know (Providers_Get). */
  invalidResourceNamespace(namespace: string): ArmError {
    return new ArmError(404, "InvalidResourceNamespace", `The resource namespace '${namespace}' is invalid.`);
  },

  // Microsoft.Resources/deployments
  deploymentNotFound(name: string): ArmError {
    return new ArmError(404, "DeploymentNotFound", `Deployment '${name}' could not be found.`);
  },
  /** "Unable to edit or replace deployment 'x': previous deployment from '5/27/2016 3:49:49 PM' is still active (expiration time is '6/3/2016 3:49:47 PM'). ..." (Azure/azure-cli#336). */
  deploymentActive(name: string, startedAt: Date): ArmError {
    const expires = new Date(startedAt.getTime() + 7 * 86_400_000);
    return new ArmError(
      409,
      "DeploymentActive",
      `Unable to edit or replace deployment '${name}': previous deployment from '${armMessageTime(startedAt)}' is still active (expiration time is '${armMessageTime(expires)}'). Please see https://aka.ms/arm-deploy for usage details.`,
    );
  },
  /** Emulator wording (the spec says only that a running deployment cannot be deleted). */
  deploymentActiveCannotDelete(name: string): ArmError {
    return new ArmError(
      409,
      "DeploymentActive",
      `The deployment '${name}' is still active and cannot be deleted. Cancel it or wait until it completes.`,
    );
  },
  deploymentOperationNotFound(operationId: string): ArmError {
    return new ArmError(
      404,
      "DeploymentOperationNotFound",
      `Deployment operation '${operationId}' could not be found.`,
    );
  },
  /** Preflight found provider errors: azure-rest-api-specs PostDeploymentValidateOnResourceGroup.json (400). */
  preflightValidationFailed(deploymentName: string, trackingId: string, errors: ArmErrorDetail[]): ArmError {
    return new ArmError(
      400,
      "InvalidTemplateDeployment",
      `The template deployment '${deploymentName}' is not valid according to the validation procedure. The tracking id is '${trackingId}'. See inner errors for details.`,
      {},
      [
        {
          code: "PreflightValidationCheckFailed",
          message: "Preflight validation failed. Please refer to the details for the specific errors.",
          details: errors,
        },
      ],
    );
  },
  /** A resource the caller may not write: "The template deployment failed with error: 'Authorization failed for template resource ...'" (Azure-Samples/azure-search-openai-demo#242, 400). */
  templateResourceAuthorizationFailed(
    resourceName: string,
    resourceType: string,
    clientId: string,
    objectId: string,
    action: string,
    scope: string,
  ): ArmError {
    return new ArmError(
      400,
      "InvalidTemplateDeployment",
      `The template deployment failed with error: 'Authorization failed for template resource '${resourceName}' of type '${resourceType}'. The client '${clientId}' with object id '${objectId}' does not have permission to perform action '${action}' at scope '${scope}'.'.`,
    );
  },
  operationNotFound(): ArmError {
    return new ArmError(404, "OperationNotFound", "The operation was not found.");
  },
  internal(message: string): ArmError {
    return new ArmError(500, "InternalServerError", message);
  },
};

const SUPPORTED_VERSIONS_HINT =
  "2014-04-01, 2015-01-01, ..., 2025-04-01 (msi-emulator accepts any yyyy-mm-dd[-preview])";
