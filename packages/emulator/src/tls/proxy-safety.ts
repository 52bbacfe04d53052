// The proxy's last defences: time limits on every connection (plain, and inside TLS tunnels alike), and an Azure-shaped
// 500 for a failure no service caught, so one bad request never takes the emulator down.
import type { Server, ServerResponse } from "node:http";
import { sendReply } from "../http/reply.ts";

export interface ConnectionTimeouts {
  /** A connection with no traffic for this long is closed (also a tunnel that never sends a request). */
  idleMs: number;
  /** All of a request's headers must arrive within this (slow-header clients). */
  headersMs: number;
  /** The whole request, body included, must arrive within this (slow-body clients). */
  requestMs: number;
}

/** Node's own limits for the plain side (headers 60 s, request 300 s), with an idle limit added. */
export const DEFAULT_CONNECTION_TIMEOUTS: ConnectionTimeouts = {
  idleMs: 120_000,
  headersMs: 60_000,
  requestMs: 300_000,
};

/** The `http.createServer` options that make Node check `timeouts` often enough to honour them. */
export function timeoutServerOptions(timeouts: ConnectionTimeouts) {
  return {
    headersTimeout: timeouts.headersMs,
    requestTimeout: timeouts.requestMs,
    connectionsCheckingInterval: Math.max(100, Math.min(30_000, Math.floor(timeouts.headersMs / 4))),
  };
}

/**
 * Applies the idle limit, and starts Node's header and request checks on a server that never listens itself (the one
 * fed connections from inside TLS tunnels): Node starts them on "listening".
 */
export function applyConnectionTimeouts(
  server: Server,
  timeouts: ConnectionTimeouts,
  listensItself: boolean,
): void {
  server.keepAliveTimeout = 5_000;
  server.timeout = timeouts.idleMs;
  if (!listensItself) server.emit("listening");
}

/** A 500 in Azure's error shape for a failure that escaped every service's own handling. */
export function answerUnexpectedFailure(response: ServerResponse, error: unknown): void {
  const message = `msi-emulator internal error: ${(error as Error)?.message ?? String(error)}`;
  process.stderr.write(`msi-emulator: ${(error as Error)?.stack ?? message}\n`);
  if (response.headersSent) {
    response.destroy();
    return;
  }
  sendReply(response, { status: 500, body: { error: { code: "InternalServerError", message } } });
}
