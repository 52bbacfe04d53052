// The credential as every sample builds it (identity from options or environment, the SDK's ManagedIdentityCredential,
// a deadline), from one options object, for the credential tests.
import { ManagedIdentityCredential } from "@azure/identity";
import { identityFromFlagsOrEnvironment, withTokenDeadline } from "../../src/index.ts";

export interface CredentialUnderTestOptions {
  clientId?: string | undefined;
  objectId?: string | undefined;
  resourceId?: string | undefined;
  timeoutMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export function createManagedIdentityCredential(options: CredentialUnderTestOptions = {}) {
  const env = options.env ?? process.env;
  const { clientId, objectId, resourceId } = options;
  const chosen = identityFromFlagsOrEnvironment(
    { "client-id": clientId, "object-id": objectId, "resource-id": resourceId },
    env,
  );
  const sdkCredential = chosen.clientId
    ? new ManagedIdentityCredential({ clientId: chosen.clientId })
    : chosen.objectId
      ? new ManagedIdentityCredential({ objectId: chosen.objectId })
      : chosen.resourceId
        ? new ManagedIdentityCredential({ resourceId: chosen.resourceId })
        : new ManagedIdentityCredential();
  return withTokenDeadline(sdkCredential, chosen, { timeoutMs: options.timeoutMs, env });
}
