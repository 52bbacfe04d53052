// What a failed managed-identity token request was about (identity, IMDS address), remembered beside the SDK's own
// error so that explainError can name the setting to fix without this package changing the error it rethrows.
import type { IdentitySelection } from "./identity-selection.ts";

export interface TokenRequestContext {
  identity: IdentitySelection;
  /** The flag or environment variable the identity came from, e.g. `AZURE_CLIENT_ID`. */
  setting?: string | undefined;
  endpoint: string;
}

const contexts = new WeakMap<object, TokenRequestContext>();

export function rememberTokenRequestContext(error: unknown, context: TokenRequestContext): void {
  if (typeof error === "object" && error !== null) contexts.set(error, context);
}

export function tokenRequestContextOf(error: unknown): TokenRequestContext | undefined {
  return typeof error === "object" && error !== null ? contexts.get(error) : undefined;
}
