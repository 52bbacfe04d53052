// A loopback HTTPS server that is not Azure's, with a certificate from a CA of its own (the "corporate CA" a user
// already trusts), that records every request it receives: the far end of a tunnel in the passthrough tests.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import https from "node:https";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";

export interface ForeignHttpsServer {
  port: number;
  /** The server's own CA (PEM file), which no emulator knows. */
  caPath: string;
  caPem: string;
  /** Paths of the requests it has received. */
  received: string[];
  close(): Promise<void>;
}

/** Serves `https://localhost:<port>/<anything>` with the body `hello from <path>`. */
export async function startForeignHttpsServer(): Promise<ForeignHttpsServer> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "foreign-https-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  // A CA whose subject no other CA here has, so that no client could pick the emulator's CA by mistake.
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("ca-key.pem"));
  openssl(
    "req",
    "-x509",
    "-new",
    "-key",
    file("ca-key.pem"),
    "-days",
    "2",
    "-subj",
    "/CN=Corporate Test Root CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
    "-out",
    file("ca.pem"),
  );
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", file("key.pem"));
  openssl("req", "-new", "-key", file("key.pem"), "-subj", "/CN=localhost", "-out", file("leaf.csr"));
  const extensions = file("leaf.ext");
  writeFileSync(extensions, "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
  openssl(
    "x509",
    "-req",
    "-in",
    file("leaf.csr"),
    "-CA",
    file("ca.pem"),
    "-CAkey",
    file("ca-key.pem"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    extensions,
    "-out",
    file("cert.pem"),
  );
  const received: string[] = [];
  const server = https.createServer(
    { key: readFileSync(file("key.pem")), cert: readFileSync(file("cert.pem")) },
    (request, response) => {
      received.push(request.url ?? "");
      response.end(`hello from ${request.url}`);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    caPath: file("ca.pem"),
    caPem: readFileSync(file("ca.pem"), "utf8"),
    received,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
