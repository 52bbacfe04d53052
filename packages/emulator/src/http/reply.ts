// The one way services write an HTTP answer: status, headers and a JSON (or empty) body, never HTML.
import type { ServerResponse } from "node:http";

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON unless it is a string (sent as is) or undefined (no body). */
  body?: unknown;
}

export function sendReply(response: ServerResponse, reply: Reply, method = "GET"): void {
  if (response.headersSent || response.writableEnded) return;
  const headers: Record<string, string> = { ...reply.headers };
  let payload: string | undefined;
  if (reply.body !== undefined) {
    if (typeof reply.body === "string") {
      payload = reply.body;
      headers["content-type"] ??= "text/plain; charset=utf-8";
    } else {
      payload = JSON.stringify(reply.body);
      headers["content-type"] ??= "application/json; charset=utf-8";
    }
  }
  headers["content-length"] = String(payload === undefined ? 0 : Buffer.byteLength(payload));
  // Set one by one (not passed to writeHead) so the request log can read them back, e.g. Key Vault's challenge.
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  response.writeHead(reply.status);
  // HEAD answers carry the headers only.
  response.end(method === "HEAD" ? undefined : payload);
}
