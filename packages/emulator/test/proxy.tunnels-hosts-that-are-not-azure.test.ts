// A shell under the emulator's environment stays usable: CONNECT to a host that is not Azure's is tunnelled straight
// through (the far end's own certificate, nothing of the content logged), Azure's hosts that are not emulated are
// refused, and strict mode refuses every host it does not emulate. Loopback targets only.
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { type ForeignHttpsServer, startForeignHttpsServer } from "./foreign-https-server.ts";
import { connectThroughProxy } from "./raw-requests.ts";

/** GET https://localhost:<port><path> through the proxy's CONNECT tunnel, trusting only `caPem`. */
async function getThroughTunnel(
  proxyPort: number,
  port: number,
  path: string,
  caPem: string,
): Promise<{ body: string; issuer: string }> {
  const tunnel = await connectThroughProxy(proxyPort, `localhost:${port}`);
  expect(tunnel.status, tunnel.body).toBe(200);
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { socket: tunnel.socket as Socket, servername: "localhost", ca: caPem },
      () => {
        const issuer = String(socket.getPeerCertificate().issuer.CN);
        socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost:${port}\r\nConnection: close\r\n\r\n`);
        let data = "";
        socket.on("data", (chunk) => (data += chunk));
        socket.on("end", () => resolve({ body: data.slice(data.indexOf("\r\n\r\n") + 4), issuer }));
      },
    );
    socket.on("error", reject);
  });
}

describe("CONNECT to hosts no service emulates", () => {
  let target: ForeignHttpsServer;
  let tunnelling: Emulator;
  let strict: Emulator;
  beforeAll(async () => {
    target = await startForeignHttpsServer();
    tunnelling = await startEmulator({ foreignHosts: "tunnel" });
    strict = await startEmulator();
  });
  afterAll(async () => {
    await Promise.all([tunnelling?.stop(), strict?.stop()]);
    await target?.close();
  });

  it("tunnels a host that is not Azure's straight through: its own certificate, its own answer", async () => {
    const reply = await getThroughTunnel(
      tunnelling.port,
      target.port,
      "/private/path?token=abc",
      target.caPem,
    );
    expect(reply.body).toBe("hello from /private/path?token=abc");
    expect(reply.issuer).toBe("Corporate Test Root CA");
    expect(target.received).toContain("/private/path?token=abc");
  });

  it("logs only that a tunnel was opened, nothing of what went through it", () => {
    const entries = tunnelling.requests().filter((entry) => entry.method === "CONNECT");
    expect(entries).toContainEqual(
      expect.objectContaining({ service: "proxy", status: 200, path: `localhost:${target.port}` }),
    );
    expect(JSON.stringify(tunnelling.requests())).not.toContain("private");
  });

  it("refuses Azure's hosts that are not emulated, saying why, before connecting anywhere", async () => {
    for (const host of [
      "login.microsoftonline.com:443",
      "graph.microsoft.com:443",
      "mystorage.blob.core.windows.net:443",
      "westus2.api.cognitive.microsoft.com:443",
      "169.254.169.254:443",
      "168.63.129.16:80",
    ]) {
      const refused = await connectThroughProxy(tunnelling.port, host);
      expect(refused.status, host).toBe(403);
      expect(JSON.parse(refused.body), host).toMatchObject({
        error: {
          code: "HostNotEmulated",
          message: expect.stringContaining("nothing reaches real Azure by accident"),
        },
      });
    }
  });

  it("still fails a vault that does not exist like an unresolvable host", async () => {
    const refused = await connectThroughProxy(tunnelling.port, "kv-never-created.vault.azure.net:443");
    expect(refused.status).toBe(404);
  });

  it("answers 502 naming the target when the tunnel's far end cannot be reached", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = await connectThroughProxy(tunnelling.port, `127.0.0.1:${port}`);
    expect(refused.status).toBe(502);
    expect(JSON.parse(refused.body)).toMatchObject({
      error: { code: "UpstreamUnreachable", message: expect.stringContaining(`127.0.0.1:${port}`) },
    });
  });

  it("refuses every host it does not emulate in strict mode (the library's default)", async () => {
    const before = target.received.length;
    const refused = await connectThroughProxy(strict.port, `localhost:${target.port}`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toMatchObject({
      error: { code: "HostNotEmulated", message: expect.stringContaining("strict mode") },
    });
    expect(target.received.length).toBe(before);
  });
});
