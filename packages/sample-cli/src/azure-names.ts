// Azure's rules for the names and IDs a person types into a sample, as `validate` functions for resolveSetting: each
// returns why a value is not acceptable, or undefined when it is, so the mistake is caught before any request.
// Name rules: learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules (Microsoft.Resources,
// Microsoft.KeyVault, Microsoft.Storage); "alphanumerics" there means a-z, A-Z and 0-9.
import { isGuid } from "@msi-samples/identity";

export function validateGuid(value: string): string | undefined {
  return isGuid(value) ? undefined : "must be a GUID such as 00000000-0000-0000-0000-000000000000";
}

// "Underscores, hyphens, periods, parentheses, and letters or digits as defined by Char.IsLetterOrDigit" (the Unicode
// categories Lu, Ll, Lt, Lm, Lo, Nd), 1-90 characters; "Can't end with period."
const resourceGroupPattern = /^[-_.()\p{Lu}\p{Ll}\p{Lt}\p{Lm}\p{Lo}\p{Nd}]{1,90}$/u;

export function validateResourceGroupName(name: string): string | undefined {
  if (resourceGroupPattern.test(name) && !name.endsWith(".")) return undefined;
  return "must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, and not end with a period";
}

// Deployments: 1-64 "alphanumerics, underscores, parentheses, hyphens, and periods".
const deploymentPattern = /^[-\w.()]{1,64}$/;

export function validateDeploymentName(name: string): string | undefined {
  return deploymentPattern.test(name)
    ? undefined
    : "must be 1-64 letters a-z or A-Z, digits, underscores, hyphens, periods or parentheses";
}

// Key Vault's own wording (VaultNameNotValid): "A vault's name must be between 3-24 alphanumeric characters. The name
// must begin with a letter, end with a letter or digit, and not contain consecutive hyphens." Hyphens are allowed.
const keyVaultPattern = /^[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/;

export function validateKeyVaultName(name: string): string | undefined {
  return keyVaultPattern.test(name) && !name.includes("--")
    ? undefined
    : "must be 3-24 letters, digits and hyphens, begin with a letter, end with a letter or digit, and not contain consecutive hyphens";
}

// Key Vault secrets: 1-127 "alphanumerics and hyphens".
const keyVaultSecretPattern = /^[a-zA-Z0-9-]{1,127}$/;

export function validateKeyVaultSecretName(name: string): string | undefined {
  return keyVaultSecretPattern.test(name) ? undefined : "must be 1-127 letters, digits and hyphens";
}

// Storage's own wording (AccountNameInvalid): "Storage account name must be between 3 and 24 characters in length and
// use numbers and lower-case letters only."
const storageAccountPattern = /^[a-z0-9]{3,24}$/;

export function validateStorageAccountName(name: string): string | undefined {
  return storageAccountPattern.test(name)
    ? undefined
    : "must be 3-24 characters long and use numbers and lower-case letters only";
}

// Region names as Resource Manager's locations API lists them (`az account list-locations --query "[].name"`):
// westeurope, eastus2, southcentralus, ... The display names ("West Europe") are not accepted here.
const regionPattern = /^[a-z][a-z0-9]*$/;

export function validateRegionName(name: string): string | undefined {
  return regionPattern.test(name)
    ? undefined
    : 'must be a region name as `az account list-locations --query "[].name"` prints it, such as westeurope';
}
