// @msi-samples/sample-cli: the command-line plumbing the samples share, so that a sample shows the SDK and not its
// flags: parsing and --help, settings from flags, environment, instance metadata or a prompt, Azure naming rules,
// the process handlers, and the one error exit with the explanation and exit code 0/1/2/130.
export {
  validateDeploymentName,
  validateGuid,
  validateKeyVaultName,
  validateKeyVaultSecretName,
  validateRegionName,
  validateResourceGroupName,
  validateStorageAccountName,
} from "./azure-names.ts";
export { identitySelectorOptions, identitySelectorUsage } from "./identity-flags.ts";
export {
  exitWithError,
  formatUsage,
  installCtrlCAndUncaughtErrorHandlers,
  isVerbose,
  parseSampleArgs,
  type SampleArgsConfig,
  type UsageRow,
} from "./sample-cli.ts";
export {
  type InstanceMetadataField,
  type ResolvedSetting,
  type ResolvedSettingFor,
  resolveSetting,
  resolveSettings,
  type SettingRequest,
  type SettingSource,
} from "./settings.ts";
export { locationSetting, resourceGroupSetting, subscriptionIdSetting } from "./shared-settings.ts";
