// Error responses of Azure Resource Manager and Key Vault, worded exactly as the services word them (sources named
// per body), for the fakes that stand in for the services until the emulator does.
import type { Reply } from "./http-stub.ts";

export const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";

export interface Caller {
  appId: string;
  objectId: string;
}

/** ARM, HTTP 403: e.g. Azure/ARO-RP#66, and every ARM API's ErrorResponse. */
export function armAuthorizationFailed(caller: Caller, action: string, scope: string): Reply {
  return {
    status: 403,
    headers: { "x-ms-failure-cause": "gateway" },
    json: {
      error: {
        code: "AuthorizationFailed",
        message: `The client '${caller.appId}' with object id '${caller.objectId}' does not have authorization to perform action '${action}' over scope '${scope}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      },
    },
  };
}

/** ARM, HTTP 429 with Retry-After (ARM's throttling: learn.microsoft.com, "Understand how ARM throttles requests"). */
export function armThrottled(retryAfterSeconds: number): Reply {
  return {
    status: 429,
    headers: { "retry-after": String(retryAfterSeconds) },
    json: {
      error: {
        code: "TooManyRequests",
        message:
          "The request is being throttled as the limit has been reached for operation type - Read_ObservationWindow_00:05:00.",
      },
    },
  };
}

/**
 * ARM, HTTP 400, when a deployment fails preflight validation: the answer to the deployment's PUT (e.g.
 * OfficeDev/microsoft-teams-apps-timetally#50, Azure/azure-powershell#5100).
 */
export function armInvalidTemplateDeployment(deployment: string, storageAccount: string): Reply {
  return {
    status: 400,
    headers: { "x-ms-failure-cause": "gateway" },
    json: {
      error: {
        code: "InvalidTemplateDeployment",
        message: `The template deployment '${deployment}' is not valid according to the validation procedure. The tracking id is '42219c05-7e90-45ea-acdd-e6b71a4187cd'. See inner errors for details.`,
        details: [
          {
            code: "PreflightValidationCheckFailed",
            message: "Preflight validation failed. Please refer to the details for the specific errors.",
            details: [
              {
                code: "StorageAccountAlreadyTaken",
                target: storageAccount,
                message: `The storage account named ${storageAccount} is already taken.`,
              },
            ],
          },
        ],
      },
    },
  };
}

/**
 * ARM's deployment error once a resource failed (the Azure-AsyncOperation status's and the deployment's
 * `properties.error`), with the resource provider's error passed on as JSON text (e.g. Azure/azure-cli#336).
 */
export function armDeploymentFailedError(storageAccount: string) {
  return {
    code: "DeploymentFailed",
    message:
      "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
    details: [
      {
        code: "Conflict",
        message: `{\r\n  "error": {\r\n    "code": "StorageAccountAlreadyTaken",\r\n    "message": "The storage account named ${storageAccount} is already taken."\r\n  }\r\n}`,
      },
    ],
  };
}

/** ARM, HTTP 404 for a missing resource group. */
export function armResourceGroupNotFound(name: string): Reply {
  return {
    status: 404,
    json: {
      error: { code: "ResourceGroupNotFound", message: `Resource group '${name}' could not be found.` },
    },
  };
}

export interface VaultDenial {
  caller: Caller;
  vault: string;
  location: string;
  subscriptionId: string;
  resourceGroup: string;
}

/** Key Vault with Azure RBAC, HTTP 403, inner code ForbiddenByRbac (e.g. hashicorp/terraform-provider-azurerm#27817). */
export function keyVaultForbiddenByRbac(denial: VaultDenial, action: string, secretName: string): Reply {
  const { caller, vault, location, subscriptionId, resourceGroup } = denial;
  const resource = `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}/providers/microsoft.keyvault/vaults/${vault}/secrets/${secretName}`;
  return {
    status: 403,
    json: {
      error: {
        code: "Forbidden",
        message: [
          "Caller is not authorized to perform action on resource.",
          "If role assignments, deny assignments or role definitions were changed recently, please observe propagation time.",
          `Caller: appid=${caller.appId};oid=${caller.objectId};iss=https://sts.windows.net/${tenantId}/`,
          `Action: '${action}'`,
          `Resource: '${resource}'`,
          "Assignment: (not found)",
          "DenyAssignmentId: null",
          "DecisionReason: 'DeniedWithNoValidRBAC' ",
          `Vault: ${vault};location=${location}`,
          "",
        ].join("\r\n"),
        innererror: { code: "ForbiddenByRbac" },
      },
    },
  };
}

/** Key Vault with access policies, HTTP 403, inner code AccessDenied (e.g. turbot/steampipe-plugin-azure#127). */
export function keyVaultAccessDenied(denial: VaultDenial, permission: string): Reply {
  const { caller, vault, location } = denial;
  return {
    status: 403,
    json: {
      error: {
        code: "Forbidden",
        message: `The user, group or application 'appid=${caller.appId};oid=${caller.objectId};iss=https://sts.windows.net/${tenantId}/' does not have secrets ${permission} permission on key vault '${vault};location=${location}'. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287`,
        innererror: { code: "AccessDenied" },
      },
    },
  };
}

/** Key Vault with access policies and no policy at all for the caller (e.g. aztfmod/level0#23). */
export function keyVaultCallerNotInAnyAccessPolicy(denial: VaultDenial): Reply {
  const { caller, vault, location } = denial;
  return {
    status: 403,
    json: {
      error: {
        code: "Forbidden",
        message: [
          "Access denied. Caller was not found on any access policy.",
          `Caller: appid=${caller.appId};oid=${caller.objectId};iss=https://sts.windows.net/${tenantId}/`,
          `Vault: ${vault};location=${location}`,
        ].join("\r\n"),
        innererror: { code: "AccessDenied" },
      },
    },
  };
}
