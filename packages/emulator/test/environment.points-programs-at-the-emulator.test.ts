// The environment the emulator hands out: proxies in both cases, a NO_PROXY that never bypasses an emulated host,
// trust for Node (NODE_EXTRA_CA_CERTS) and for Python / the Azure CLI (a bundle of system CAs plus the emulator's CA).
import { readFile, stat } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";

describe("emulator environment", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("sets every proxy variable, in both cases, to the loopback proxy", () => {
    for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) {
      expect(emulator.env[name]).toBe(`http://127.0.0.1:${emulator.port}`);
    }
    expect(emulator.proxyUrl).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.env).not.toHaveProperty("AZURE_POD_IDENTITY_AUTHORITY_HOST");
    expect(emulator.unsetEnv).toContain("AZURE_POD_IDENTITY_AUTHORITY_HOST");
  });

  it("never lets NO_PROXY bypass IMDS, ARM or Key Vault", () => {
    for (const name of ["NO_PROXY", "no_proxy"]) {
      const entries = (emulator.env[name] ?? "").split(",");
      for (const host of [
        "169.254.169.254",
        "management.azure.com",
        ".vault.azure.net",
        ".azure.net",
        ".azure.com",
      ]) {
        expect(entries).not.toContain(host);
      }
    }
  });

  it("trusts the emulator's CA for Node, and for Python with the system CAs kept", async () => {
    expect(emulator.env.NODE_EXTRA_CA_CERTS).toBe(emulator.caCertPath);
    expect(emulator.env.REQUESTS_CA_BUNDLE).toBe(emulator.caBundlePath);
    expect(emulator.env.SSL_CERT_FILE).toBe(emulator.caBundlePath);
    const ca = await readFile(emulator.caCertPath, "utf8");
    const bundle = await readFile(emulator.caBundlePath, "utf8");
    expect(bundle).toContain(ca.trim());
    expect(bundle.match(/BEGIN CERTIFICATE/g)?.length ?? 0).toBeGreaterThan(10);
  });

  it("keeps the CA key private (mode 0600)", async () => {
    const key = await stat(path.join(path.dirname(emulator.caCertPath), "ca-key.pem"));
    expect(key.mode & 0o777).toBe(0o600);
  });

  it("binds to loopback only", async () => {
    expect(new URL(emulator.adminUrl).hostname).toBe("127.0.0.1");
    const health = (await (await fetch(`${emulator.adminUrl}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
  });
});
