// The HTTP proxy every emulated program talks to (HTTPS_PROXY): it terminates CONNECT tunnels for emulated hosts
// with a certificate from the emulator's CA, serves IMDS requests in absolute form (GET http://169.254.169.254/...),
// and refuses Azure's other hosts by name; CONNECT to any other host is tunnelled untouched or, in strict mode, refused
// (connect-passthrough.ts).
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { sendReply } from "../http/reply.ts";
import type { ServiceDispatcher } from "../http/service-dispatcher.ts";
import { ARM_HOST, IMDS_HOST, VAULT_DNS_SUFFIX } from "../identifiers.ts";
import type { RequestLog } from "../log/request-log.ts";
import {
  type ForeignHostPolicy,
  foreignHostRefusal,
  tunnelsTo,
  tunnelThrough,
} from "./connect-passthrough.ts";
import type { LeafCertificates } from "./leaf-certificates.ts";
import { type ProxyRefusal, proxyErrors } from "./proxy-errors.ts";
import { absoluteTargetOf, hostOf, isLocalImdsHost, requestRefusal } from "./proxy-request-checks.ts";
import {
  answerUnexpectedFailure,
  applyConnectionTimeouts,
  type ConnectionTimeouts,
  DEFAULT_CONNECTION_TIMEOUTS,
  timeoutServerOptions,
} from "./proxy-safety.ts";

/** Domains under which a name that no service claims fails like an unresolvable host, rather than being refused. */
const EMULATED_DOMAINS = [VAULT_DNS_SUFFIX, ARM_HOST];

export interface InterceptingProxy {
  port: number;
  close(): Promise<void>;
}

export async function startInterceptingProxy(options: {
  port: number;
  dispatcher: ServiceDispatcher;
  certificates: LeafCertificates;
  log: RequestLog;
  timeouts?: ConnectionTimeouts;
  /** CONNECT to hosts no service emulates: "refuse" (default) or "tunnel" those that are not Azure's. */
  foreignHosts?: ForeignHostPolicy;
}): Promise<InterceptingProxy> {
  const { dispatcher, certificates, log } = options;
  const timeouts = options.timeouts ?? DEFAULT_CONNECTION_TIMEOUTS;
  const serverOptions = { requireHostHeader: false, ...timeoutServerOptions(timeouts) };
  const sockets = new Set<Duplex>();
  const track = (socket: Duplex) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    // A client that goes away mid-request must not take the emulator down.
    socket.on("error", () => socket.destroy());
  };

  // Host is checked here (with a JSON answer) rather than by Node (a bare 400).
  const plain = http.createServer(serverOptions, (request, response) =>
    servePlain(request, response).catch((error: unknown) => answerUnexpectedFailure(response, error)),
  );
  // Requests that arrive inside intercepted TLS tunnels; this server never listens itself.
  const secure = http.createServer(serverOptions, (request, response) =>
    serveSecure(request, response).catch((error: unknown) => answerUnexpectedFailure(response, error)),
  );
  applyConnectionTimeouts(plain, timeouts, true);
  applyConnectionTimeouts(secure, timeouts, false);
  for (const server of [plain, secure]) {
    server.on("clientError", (error: NodeJS.ErrnoException, socket) => refuseMalformed(socket, error));
  }
  plain.on("connection", track);

  async function servePlain(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = request.url ?? "/";
    const refusal = requestRefusal(request);
    if (refusal) {
      await dispatcher.dispatch({ request, response, host: "", scheme: "http", target: raw }, undefined, () =>
        refusalReply(refusal),
      );
      return;
    }
    const url = absoluteTargetOf(raw);
    if (url) {
      // Absolute form: the client is using us as its HTTP proxy.
      const host = url.hostname.toLowerCase();
      const target = `${url.pathname}${url.search}`;
      const service = dispatcher.find(host, "http");
      await dispatcher.dispatch({ request, response, host, scheme: "http", target }, service, () =>
        refusalReply(proxyErrors.hostNotEmulated(host)),
      );
      return;
    }
    const host = hostOf(request.headers.host) ?? "127.0.0.1";
    // Origin form: a tunnel to 169.254.169.254:80, or AZURE_POD_IDENTITY_AUTHORITY_HOST pointing at this port.
    const isImds = host === IMDS_HOST || /^\/metadata(\/|\?|$)/i.test(raw);
    const hostAllowed = isLocalImdsHost(hostOf(request.headers.host));
    const service = isImds && hostAllowed ? dispatcher.find(IMDS_HOST, "http") : undefined;
    await dispatcher.dispatch(
      { request, response, host: isImds && hostAllowed ? IMDS_HOST : host, scheme: "http", target: raw },
      service,
      () => refusalReply(isImds ? proxyErrors.foreignHostForImds(host) : proxyErrors.hostNotEmulated(host)),
    );
  }

  async function serveSecure(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const refusal = requestRefusal(request);
    if (refusal) {
      sendReply(response, refusalReply(refusal), request.method);
      return;
    }
    const socket = request.socket as tls.TLSSocket & { connectHost?: string };
    const host = hostOf(request.headers.host) ?? socket.connectHost ?? "";
    const service = dispatcher.find(host, "https");
    await dispatcher.dispatch(
      { request, response, host, scheme: "https", target: request.url ?? "/" },
      service,
      () =>
        refusalReply(
          isUnderEmulatedDomain(host) ? proxyErrors.hostNotFound(host) : proxyErrors.hostNotEmulated(host),
        ),
    );
  }

  plain.on("connect", (request: IncomingMessage, clientSocket: Socket, head: Buffer) => {
    track(clientSocket);
    // Node stops timing a socket once it becomes a tunnel: an idle tunnel is closed here.
    clientSocket.setTimeout(timeouts.idleMs, () => clientSocket.destroy());
    const target = request.url ?? "";
    const parsed = /^\[?([^\]]+?)\]?:(\d+)$/.exec(target);
    if (!parsed) {
      refuseConnect(clientSocket, target, proxyErrors.badConnectTarget(target));
      return;
    }
    const host = (parsed[1] ?? "").toLowerCase();
    const port = Number(parsed[2]);
    if (host === IMDS_HOST && port === 80) {
      // Some clients tunnel plain HTTP too: hand the tunnel to the plain server, which serves IMDS in origin form.
      clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) clientSocket.unshift(head);
      plain.emit("connection", clientSocket);
      return;
    }
    const service = port === 443 ? dispatcher.find(host, "https") : undefined;
    if (!service) {
      const policy = options.foreignHosts ?? "refuse";
      const refuse = (refusal: ProxyRefusal) => refuseConnect(clientSocket, target, refusal);
      if (isUnderEmulatedDomain(host)) refuse(proxyErrors.hostNotFound(host));
      else if (tunnelsTo(host, policy)) tunnelThrough({ clientSocket, host, port, head, log, refuse });
      else refuse(foreignHostRefusal(port === 443 ? host : target, policy));
      return;
    }
    void certificates.contextFor(host).then(
      (context) => {
        // Answer the CONNECT only once a certificate is ready, so a failure can still be reported as JSON.
        clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (head.length) clientSocket.unshift(head);
        const tlsSocket = new tls.TLSSocket(clientSocket, {
          isServer: true,
          secureContext: context,
          SNICallback: certificates.sniCallback,
        }) as tls.TLSSocket & { connectHost?: string };
        tlsSocket.connectHost = host;
        track(tlsSocket);
        secure.emit("connection", tlsSocket);
      },
      (error: Error) =>
        refuseConnect(clientSocket, target, proxyErrors.certificateFailed(host, error.message)),
    );
  });

  function refuseConnect(socket: Socket, target: string, refusal: ProxyRefusal): void {
    socket.end(rawRefusal(refusal));
    log.add({
      time: new Date().toISOString(),
      service: "proxy",
      method: "CONNECT",
      host: target.replace(/:\d+$/, ""),
      path: target,
      status: refusal.status,
      durationMs: 0,
      error: refusal.body.error.code,
    });
  }

  await new Promise<void>((resolve, reject) => {
    plain.once("error", reject);
    plain.listen(options.port, "127.0.0.1", () => {
      plain.off("error", reject);
      resolve();
    });
  });

  return {
    port: (plain.address() as AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => {
        plain.close(() => resolve());
        // Stops Node's connection checks on the tunnel server (it never listened, so close() reports that: ignored).
        secure.close(() => {});
        for (const socket of sockets) socket.destroy();
        plain.closeAllConnections();
        secure.closeAllConnections();
      });
    },
  };
}

function refusalReply(refusal: ProxyRefusal) {
  return { status: refusal.status, body: refusal.body };
}

function isUnderEmulatedDomain(host: string): boolean {
  return EMULATED_DOMAINS.some((domain) =>
    domain.startsWith(".") ? host.endsWith(domain) : host === domain,
  );
}

function refuseMalformed(socket: Duplex, error: NodeJS.ErrnoException): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Node reports its header and request time limits as client errors too.
  const timedOut = error.code === "ERR_HTTP_REQUEST_TIMEOUT";
  socket.end(rawRefusal(timedOut ? proxyErrors.requestTimeout() : proxyErrors.malformedRequest()));
}

/** A refusal written straight to the socket (no HTTP server is answering there), after which it closes. */
function rawRefusal(refusal: ProxyRefusal): string {
  const body = JSON.stringify(refusal.body);
  return `HTTP/1.1 ${refusal.status} ${refusal.statusText}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`;
}
