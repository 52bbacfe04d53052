// IMDS cannot be reached: not an Azure VM, identity not enabled, or a proxy in the way. Produced for real: a port
// nothing listens on, a proxy variable pointing at a fake corporate proxy, and getInstanceMetadata.
import { get } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { explainError, getInstanceMetadata, InstanceMetadataError } from "../src/index.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import { closedPort, type HttpStub, startHttpStub } from "./support/http-stub.ts";

interface Report {
  error?: { name: string; message: string };
  explanation?: { message: string; exitCode: number };
}

describe("IMDS unreachable", () => {
  let proxy: HttpStub | undefined;
  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
  });

  it("for a token: the likely causes, NO_PROXY, and how to run against the emulator", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint } });
    const report = reportOf<Report>(run);
    expect(report.error?.message).toContain("ManagedIdentityCredential: Network unreachable.");
    expect(report.explanation).toEqual({
      message: [
        `Cannot reach the managed identity endpoint (IMDS at ${endpoint}: no connection). This is not an Azure VM, the VM has no managed identity enabled, or a proxy is in the way.`,
        // Right both in a sample's folder (its start:local script) and at the root (the emulator script is only there).
        "Behind a proxy, set NO_PROXY=127.0.0.1. Not on an Azure VM? Run it locally against the emulator: `pnpm start:local` in the sample's folder (or `pnpm emulator exec -- <command>` from the repository root).",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a token behind a proxy that refuses IMDS: set NO_PROXY", async () => {
    // What a corporate proxy does with http://169.254.169.254/...: refuse it with its own page.
    proxy = await startHttpStub(() => ({ status: 403, text: "Access denied by proxy policy" }));
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://imds.test", HTTPS_PROXY: proxy.url },
    });
    expect(proxy.requests[0]?.target).toMatch(/^http:\/\/imds\.test\/metadata\/identity\/oauth2\/token/);
    expect(reportOf<Report>(run).explanation).toEqual({
      message: [
        "Cannot reach the managed identity endpoint (IMDS at http://imds.test: HTTP 403 Access denied by proxy policy). HTTPS_PROXY is set, so the request went to the proxy instead.",
        "IMDS must be reached directly: set NO_PROXY=imds.test (add it to any existing NO_PROXY list).",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a plain Node.js connection error to the IMDS address", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await new Promise((resolve) =>
      get(`${endpoint}/metadata/instance`, resolve).on("error", resolve),
    );
    const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = endpoint;
    try {
      expect(explainError(error).message).toMatch(
        new RegExp(
          `^Cannot reach the managed identity endpoint \\(IMDS at ${endpoint}: connection refused\\)\\.`,
        ),
      );
    } finally {
      if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    }
  });

  it("a connection error to some other address is not about IMDS", async () => {
    const error = await new Promise((resolve) =>
      closedPort().then((port) => get(`http://127.0.0.1:${port}/`, resolve).on("error", resolve)),
    );
    expect(explainError(error).message).toMatch(/^connect ECONNREFUSED 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/);
  });

  it("for instance metadata: the same explanation, with the network error", async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;
    const error = await getInstanceMetadata({ env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: endpoint } }).catch(
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(InstanceMetadataError);
    expect(explainError(error).message).toMatch(
      new RegExp(
        `^Cannot reach the managed identity endpoint \\(IMDS at ${endpoint}: connection refused\\)\\.`,
      ),
    );
  });
});
