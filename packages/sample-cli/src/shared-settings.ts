// The settings several samples share, each with its flag, environment variable, instance-metadata field, prompt and
// check written once: spread one into a resolveSetting(s) request and add the flag's value (and what differs).
import { validateGuid, validateRegionName, validateResourceGroupName } from "./azure-names.ts";
import type { SettingRequest } from "./settings.ts";

/** `--subscription-id`, `AZURE_SUBSCRIPTION_ID`, else the VM's own subscription, else a prompt; a GUID. */
export const subscriptionIdSetting = {
  name: "subscription-id",
  envName: "AZURE_SUBSCRIPTION_ID",
  fromMetadata: "subscriptionId",
  prompt: "Subscription ID:",
  validate: validateGuid,
} as const satisfies SettingRequest;

/** `--location`, `AZURE_LOCATION`, else the VM's region, else a prompt; a region name such as westeurope. */
export const locationSetting = {
  name: "location",
  envName: "AZURE_LOCATION",
  fromMetadata: "location",
  prompt: "Region (for example westeurope):",
  validate: validateRegionName,
} as const satisfies SettingRequest;

/**
 * `--resource-group`, `RESOURCE_GROUP_NAME` (the variable the original samples read); Azure's naming rules. Where it
 * comes from otherwise differs: add `fromMetadata: "resourceGroupName"` for the VM's own, or a `default`.
 */
export const resourceGroupSetting = {
  name: "resource-group",
  envName: "RESOURCE_GROUP_NAME",
  validate: validateResourceGroupName,
} as const satisfies SettingRequest;
