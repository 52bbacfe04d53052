// @msi-samples/identity: around the SDK's ManagedIdentityCredential: which identity (flags or environment), a
// deadline on its token requests, the VM's instance metadata, who signed in, and failures explained with their fix.
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
export { formatIdentityInUse, formatIdentitySelection } from "./identity-in-use.ts";
export {
  type ChosenIdentity,
  type IdentitySelection,
  type IdentitySelector,
  type IdentitySelectorOptions,
  identityFromFlagsOrEnvironment,
  identitySelectorSettings,
} from "./identity-selection.ts";
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
  assertGuid,
  isGuid,
  maskSecret,
  parseUserAssignedIdentityId,
  type UserAssignedIdentityId,
} from "./validation.ts";
