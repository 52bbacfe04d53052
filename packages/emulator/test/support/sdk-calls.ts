// Around Azure SDK calls in tests: what a call rejects with (and the service's error body, as the SDK keeps it), a
// list run to its end, and a credential that hands out a token the SDK would never fetch itself.
import type { AccessToken, TokenCredential } from "@azure/identity";

/** What `operation` rejects with; the test fails when it resolves. */
export async function thrownBy(operation: () => Promise<unknown>): Promise<unknown> {
  try {
    await operation();
  } catch (error) {
    return error;
  }
  throw new Error("expected the operation to fail");
}

/** A credential that always hands out one fixed token: lets a test send a token the SDK would never fetch itself. */
export function fixedTokenCredential(token: string): TokenCredential {
  return {
    getToken: async (): Promise<AccessToken> => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }),
  };
}

/** The rejection of `operation`, with the ARM error body the service sent (RestError keeps the raw response). */
export async function rejectionOf(operation: () => Promise<unknown>): Promise<{
  statusCode?: number;
  code?: string;
  message: string;
  body?: { error?: { code?: string; message?: string } };
}> {
  const e = (await thrownBy(operation)) as {
    statusCode?: number;
    code?: string;
    message: string;
    response?: { bodyAsText?: string };
  };
  let body: { error?: { code?: string; message?: string } } | undefined;
  try {
    body = e.response?.bodyAsText ? JSON.parse(e.response.bodyAsText) : undefined;
  } catch {
    body = undefined;
  }
  return {
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(e.code ? { code: e.code } : {}),
    message: e.message,
    ...(body ? { body } : {}),
  };
}

/** Runs an SDK list to the end. */
export async function drain(iterable: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of iterable) {
    // nothing
  }
}
