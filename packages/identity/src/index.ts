// @msi-samples/identity: sign in with an Azure VM's managed identity, read its instance metadata, say who is
// signed in, and explain failures with their fix.
export {
  createManagedIdentityCredential,
  defaultAttemptTimeoutMs,
  defaultTimeoutMs,
  type ManagedIdentityCredentialOptions,
  type ManagedIdentityTokenCredential,
} from "./credential.ts";
export { InstanceMetadataError, ManagedIdentityTimeoutError, UsageError } from "./errors.ts";
export { type ErrorExplanation, explainError } from "./explain-error.ts";
export type { IdentitySelection, IdentitySelector } from "./identity-selection.ts";
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
} from "./principal.ts";
export {
  exitWithError,
  isVerbose,
  parseSampleArgs,
  resolveSetting,
  type SampleArgsConfig,
  type SettingRequest,
  type SettingSource,
} from "./sample-cli.ts";
export {
  assertGuid,
  isGuid,
  maskSecret,
  parseUserAssignedIdentityId,
  type UserAssignedIdentityId,
} from "./validation.ts";
