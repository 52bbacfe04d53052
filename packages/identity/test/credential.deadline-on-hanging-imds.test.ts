// An IMDS that accepts the token request and never answers: the SDK alone would wait forever. (Its request stays
// open after the deadline, so the fixture exits by itself, as a sample's exitWithError does.)
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

  it("fails with ManagedIdentityTimeoutError after the configured timeout", async () => {
    imds = await startFakeImds({ token: () => "hang" });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ credential: { timeoutMs: 300 }, exitWhenDone: true }),
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
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "300",
        FIXTURE_OPTIONS: JSON.stringify({ exitWhenDone: true }),
      },
    });
    expect(run.killed).toBe(false);
    const report = reportOf<Report>(run);
    expect(report.error?.name).toBe("ManagedIdentityTimeoutError");
    expect(report.error?.message).toContain("within 0.3 s (AZURE_MANAGED_IDENTITY_TIMEOUT_MS)");
  });
});
