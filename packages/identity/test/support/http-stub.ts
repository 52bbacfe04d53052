// A tiny HTTP (or HTTPS) server on 127.0.0.1 that answers each request with whatever a test's responder says, records
// what it received, and can hang on purpose. The fakes of IMDS, Resource Manager and Key Vault are built on it.
import { createServer, type IncomingHttpHeaders, type RequestListener } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** The request target as sent: a path, or an absolute URL when the client spoke to a proxy. */
  target: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
}

export type Reply =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | "hang";

export type Responder = (request: RecordedRequest, count: number) => Reply;

export interface HttpStub {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface StubOptions {
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string };
}

export async function startHttpStub(respond: Responder, options: StubOptions = {}): Promise<HttpStub> {
  const requests: RecordedRequest[] = [];
  const listener: RequestListener = (request, response) => {
    const url = new URL(request.url ?? "/", "http://stub.invalid");
    const recorded: RecordedRequest = {
      method: request.method ?? "GET",
      target: request.url ?? "/",
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
    };
    requests.push(recorded);
    request.resume();
    const reply = respond(recorded, requests.length);
    if (reply === "hang") return;
    const body = reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json));
    const contentType = reply.text === undefined ? "application/json; charset=utf-8" : "text/plain";
    response.writeHead(reply.status, { "content-type": contentType, ...reply.headers });
    response.end(body);
  };
  const server = options.tls ? createHttpsServer(options.tls, listener) : createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.tls ? "https" : "http"}://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (taken, then released), for "connection refused". */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
