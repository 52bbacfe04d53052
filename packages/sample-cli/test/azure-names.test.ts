// The name checks follow Azure's naming rules (learn.microsoft.com/azure/azure-resource-manager/management/
// resource-name-rules): each accepts the edge cases Azure accepts and refuses what Azure refuses, with the reason.
import { describe, expect, it } from "vitest";
import {
  validateDeploymentName,
  validateGuid,
  validateKeyVaultName,
  validateKeyVaultSecretName,
  validateRegionName,
  validateResourceGroupName,
  validateStorageAccountName,
} from "../src/index.ts";

type Validate = (value: string) => string | undefined;

const cases: [string, Validate, accepted: string[], refused: string[]][] = [
  [
    "resource group: 1-90 letters (any script), digits, _ - . ( ), not ending with '.'",
    validateResourceGroupName,
    ["a", "rg-msi_samples.(test)", "ÄÖÜ-gruppe", "グループ", "x".repeat(90)],
    ["", "x".repeat(91), "ends.", "has space", "slash/", "star*"],
  ],
  [
    "deployment: 1-64 a-z, A-Z, digits, _ - . ( )",
    validateDeploymentName,
    ["d", "msi-sample-20261127T101500Z", "dep_(1).v2", "x".repeat(64)],
    ["", "x".repeat(65), "dép", "a b", "a/b"],
  ],
  [
    "Key Vault: 3-24 letters, digits, hyphens; starts with a letter; ends with a letter or digit; no '--'",
    validateKeyVaultName,
    ["kv1", "msi-sample-3f9c2a1b", "A-b-C", "k".repeat(24)],
    ["kv", "k".repeat(25), "1kv", "-kv", "kv-", "kv--1", "kv_1", "kv.1"],
  ],
  [
    "Key Vault secret: 1-127 letters, digits, hyphens",
    validateKeyVaultSecretName,
    ["s", "sample-secret", "S3cret", "s".repeat(127)],
    ["", "s".repeat(128), "a_b", "a.b", "a b"],
  ],
  [
    "storage account: 3-24 lowercase letters and digits",
    validateStorageAccountName,
    ["abc", "msisample42", "1".repeat(24)],
    ["ab", "a".repeat(25), "MsiSample", "msi-sample", "msi_sample"],
  ],
  [
    "region: a name from `az account list-locations`",
    validateRegionName,
    ["westeurope", "eastus2", "southcentralus"],
    ["West Europe", "WestEurope", "2westus", "west-europe", ""],
  ],
  [
    "GUID",
    validateGuid,
    ["8d10da13-8125-4ba9-a717-bf7490507b3d", "8D10DA13-8125-4BA9-A717-BF7490507B3D"],
    ["8d10da13812549ba9a717bf7490507b3d", "{8d10da13-8125-4ba9-a717-bf7490507b3d}", "my-subscription"],
  ],
];

describe.each(cases)("%s", (_rule, validate, accepted, refused) => {
  it.each(accepted)("accepts '%s'", (value) => {
    expect(validate(value)).toBeUndefined();
  });
  it.each(refused)("refuses '%s', saying why", (value) => {
    expect(validate(value)).toMatch(/^must /);
  });
});
