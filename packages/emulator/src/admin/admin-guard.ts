// Who may use the admin endpoint and the dashboard: loopback clients only, a Host header naming this loopback server
// (a DNS-rebinding page calls with its own host name), and for every change, or a secret value, the per-run token the
// dashboard page was served with (another local page can neither read that page nor forge the header).

import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Reply } from "../http/reply.ts";

/** The header that carries the per-run token (runtime.json's `adminToken`, the dashboard's meta tag). */
export const ADMIN_TOKEN_HEADER = "x-msi-emulator-token";

const LOOPBACK_ADDRESS = /^(127\.|::1$|::ffff:127\.)/;
const LOOPBACK_NAMES = ["127.0.0.1", "localhost", "[::1]"];

function refusal(message: string): Reply {
  return { status: 403, body: { error: { code: "Forbidden", message } } };
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Why `request` may not go on (a 403 reply), or undefined. `needsToken` is true for changes and secret values;
 * reads of the (redacted) log and world need only loopback and the right Host.
 */
export function refuseAdminRequest(
  request: IncomingMessage,
  guard: { port: number; token: string; needsToken: boolean },
): Reply | undefined {
  if (!LOOPBACK_ADDRESS.test(request.socket.remoteAddress ?? ""))
    return refusal("The admin endpoint answers loopback clients only.");
  const host = (request.headers.host ?? "").toLowerCase();
  if (!LOOPBACK_NAMES.some((name) => host === `${name}:${guard.port}`))
    return refusal(
      `The admin endpoint answers only for Host 127.0.0.1:${guard.port} or localhost:${guard.port} (got '${host}').`,
    );
  if (!guard.needsToken) return undefined;
  const given = request.headers[ADMIN_TOKEN_HEADER];
  if (typeof given !== "string" || !sameToken(given, guard.token))
    return refusal(
      `Changes need the header ${ADMIN_TOKEN_HEADER} with this run's token (runtime.json's adminToken; the dashboard page has it).`,
    );
  return undefined;
}
