// An IMDS that accepts the token request and never answers: the SDK alone would wait forever.
import { afterEach, describe, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds } from "./support/fake-imds.ts";

interface Report {
  gotToken?: boolean;
  error?: { name: string; message: string };
  explanation?: { message: string; exitCode: number };
}

describe("a token request to an IMDS that never answers", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  it("fails with ManagedIdentityTimeoutError after the configured timeout, and the process ends by itself", async () => {
    imds = await startFakeImds({ token: () => "hang" });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ credential: { timeoutMs: 300, attemptTimeoutMs: 60_000 } }),
      },
    });
    expect(run.killed).toBe(false);
    expect(run.exitCode).toBe(0);
    const report = reportOf<Report>(run);
    expect(report.error?.name).toBe("ManagedIdentityTimeoutError");
    expect(report.error?.message).toContain(
      `IMDS at ${imds.url} did not answer the token request within 0.3 s`,
    );
    expect(report.explanation).toEqual({ message: report.error?.message, exitCode: 1 });
    expect(imds.tokenRequests()).toHaveLength(1);
  });

  it("reads the timeout from AZURE_MANAGED_IDENTITY_TIMEOUT_MS", async () => {
    imds = await startFakeImds({ token: () => "hang" });
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "300" },
    });
    expect(run.killed).toBe(false);
    const report = reportOf<Report>(run);
    expect(report.error?.name).toBe("ManagedIdentityTimeoutError");
    expect(report.error?.message).toContain("within 0.3 s (AZURE_MANAGED_IDENTITY_TIMEOUT_MS)");
  });

  it("retries an attempt that hangs, so a single lost answer costs one attempt, not the call", async () => {
    imds = await startFakeImds({
      token: (request, count) =>
        count === 1 ? "hang" : { status: 200, json: tokenBody(request.query.resource) },
    });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ credential: { timeoutMs: 30_000, attemptTimeoutMs: 1_000 } }),
      },
    });
    expect(reportOf<Report>(run)).toMatchObject({ gotToken: true });
    expect(imds.tokenRequests()).toHaveLength(2);
  });

  it("says so when every attempt hung and the SDK gave up", async () => {
    imds = await startFakeImds({ token: () => "hang" });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ credential: { timeoutMs: 50_000, attemptTimeoutMs: 200 } }),
      },
      killAfterMs: 55_000,
    });
    const report = reportOf<Report>(run);
    expect(report.error?.name).toBe("ManagedIdentityTimeoutError");
    // The SDK's IMDS client tries 4 times (3 retries) on a network error.
    expect(report.error?.message).toContain("did not answer any of 4 token requests within 0.2 s each");
    expect(imds.tokenRequests()).toHaveLength(4);
  });
});

function tokenBody(resource: string | undefined) {
  return {
    access_token: "opaque-test-token",
    expires_on: String(Math.floor(Date.now() / 1000) + 3600),
    resource,
    token_type: "Bearer",
  };
}
