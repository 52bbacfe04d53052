// CONNECT to a host that is not Azure's, tunnelled straight through: a shell pointed at the emulator keeps running
// npm, git and curl. The tunnel is opaque bytes both ways: no TLS interception, and nothing of its content is read or
// logged (the log gets one line: host, port and whether the connection was made).
import net, { type Socket } from "node:net";
import type { RequestLog } from "../log/request-log.ts";
import { isAzureHost } from "./azure-hosts.ts";
import { type ProxyRefusal, proxyErrors } from "./proxy-errors.ts";

/**
 * What the proxy does with a host no service emulates. "tunnel": Azure's hosts are refused, every other host is
 * tunnelled (the CLI's default, for a shell people keep using). "refuse": every such host is refused (`--strict`, CI,
 * and the library's default, so a test never leaves the machine by accident).
 */
export type ForeignHostPolicy = "tunnel" | "refuse";

export function tunnelsTo(host: string, policy: ForeignHostPolicy): boolean {
  return policy === "tunnel" && !isAzureHost(host);
}

/** The refusal for a host no service emulates, worded for why it is refused. */
export function foreignHostRefusal(host: string, policy: ForeignHostPolicy): ProxyRefusal {
  return proxyErrors.hostNotEmulated(host, policy === "refuse" ? "strict" : "azure");
}

/**
 * Connects to host:port, then answers the CONNECT with 200 and pipes bytes both ways until either side closes. If the
 * connection cannot be made, `refuse` answers the CONNECT (502, naming the reason) instead.
 */
export function tunnelThrough(options: {
  clientSocket: Socket;
  host: string;
  port: number;
  head: Buffer;
  log: RequestLog;
  refuse: (refusal: ProxyRefusal) => void;
}): void {
  const { clientSocket, host, port, head, log } = options;
  const started = Date.now();
  const upstream = net.connect({ host, port });
  let connected = false;
  upstream.once("connect", () => {
    connected = true;
    clientSocket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length) upstream.write(head);
    clientSocket.pipe(upstream);
    upstream.pipe(clientSocket);
    log.add({
      time: new Date(started).toISOString(),
      service: "proxy",
      method: "CONNECT",
      host,
      path: `${host}:${port}`,
      status: 200,
      durationMs: Date.now() - started,
    });
  });
  upstream.on("error", (error: NodeJS.ErrnoException) => {
    if (!connected)
      options.refuse(proxyErrors.upstreamUnreachable(`${host}:${port}`, error.code ?? error.message));
    clientSocket.destroy();
  });
  // Either side going away ends the tunnel; the proxy's close() destroys the client side, which ends this one too.
  clientSocket.once("close", () => upstream.destroy());
  upstream.once("close", () => {
    if (connected) clientSocket.destroy();
  });
}
