// @msi-samples/identity: sign in with an Azure VM's managed identity, read its instance metadata, say who is
// signed in, and explain failures with their fix.
export {
  validateDeploymentName,
  validateGuid,
  validateKeyVaultName,
  validateKeyVaultSecretName,
  validateRegionName,
  validateResourceGroupName,
  validateStorageAccountName,
} from "./azure-names.ts";
export { checkBeforeCreating } from "./creation-check.ts";
export {
  defaultTimeoutMs,
  type ManagedIdentityTokenCredential,
  type TokenDeadlineOptions,
  withTokenDeadline,
} from "./credential.ts";
export { InstanceMetadataError, ManagedIdentityTimeoutError, UsageError } from "./errors.ts";
export { roleAssignmentCommand } from "./explain-authorization-error.ts";
export { type ErrorExplanation, explainError } from "./explain-error.ts";
export {
  type ChosenIdentity,
  type IdentitySelection,
  type IdentitySelector,
  type IdentitySelectorOptions,
  identityFromFlagsOrEnvironment,
} from "./identity-selection.ts";
export {
  formatIdentityInUse,
  formatIdentitySelection,
  identitySelectorOptions,
  identitySelectorUsage,
} from "./identity-selector-flags.ts";
export {
  defaultInstanceMetadataTimeoutMs,
  getInstanceMetadata,
  type InstanceMetadata,
  type InstanceMetadataOptions,
} from "./instance-metadata.ts";
export {
  describePrincipal,
  formatPrincipal,
  type PrincipalInfo,
  principalFromAccessToken,
  type SignedInPrincipal,
} from "./principal.ts";
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
export {
  assertGuid,
  isGuid,
  maskSecret,
  parseUserAssignedIdentityId,
  type UserAssignedIdentityId,
} from "./validation.ts";
