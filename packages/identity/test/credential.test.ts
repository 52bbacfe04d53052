// The credential every sample builds: which identity it asks IMDS for, the settings it refuses before any request,
// and the deadline and abort signal that bound a token request (the SDK alone would wait for a hung IMDS). Token
// requests run in a child process, against a fake IMDS of their own, concurrently.

import { describe, expect, it, type TestContext } from "vitest";
import { explainError, UsageError } from "../src/index.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import { createManagedIdentityCredential } from "./support/credential-under-test.ts";
import { fakeImdsForTest, userAssigned } from "./support/fake-imds.ts";

// Malformed identity selectors and timeouts are refused before any request, naming the setting at fault.
describe("malformed settings", () => {
  function messageOf(create: () => unknown): { message: string; setting: string | undefined } {
    try {
      create();
    } catch (error) {
      if (error instanceof UsageError) return { message: error.message, setting: error.setting };
      throw error;
    }
    throw new Error("expected a UsageError");
  }

  it("a client ID that is not a GUID, from the environment", () => {
    expect(
      messageOf(() => createManagedIdentityCredential({ env: { AZURE_CLIENT_ID: "my-identity" } })),
    ).toEqual({
      message: "AZURE_CLIENT_ID must be a GUID like 00000000-0000-0000-0000-000000000000, not 'my-identity'.",
      setting: "AZURE_CLIENT_ID",
    });
  });

  it("an object ID that is not a GUID, from options", () => {
    expect(messageOf(() => createManagedIdentityCredential({ objectId: "1234", env: {} })).setting).toBe(
      "--object-id",
    );
  });

  it("a resource ID of something other than a user-assigned identity", () => {
    const vmId =
      "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg/providers/Microsoft.Compute/virtualMachines/vm";
    const { message, setting } = messageOf(() =>
      createManagedIdentityCredential({ env: { AZURE_MANAGED_IDENTITY_RESOURCE_ID: vmId } }),
    );
    expect(setting).toBe("AZURE_MANAGED_IDENTITY_RESOURCE_ID");
    expect(message).toContain("must be the resource ID of a user-assigned identity");
    expect(message).toContain(`not '${vmId}'`);
  });

  it("accepts a resource ID in any letter case, as Azure does", () => {
    const id =
      "/SUBSCRIPTIONS/8d10da13-8125-4ba9-a717-bf7490507b3d/resourcegroups/rg/providers/microsoft.managedidentity/userassignedidentities/id-1";
    expect(createManagedIdentityCredential({ resourceId: id, env: {} }).identity).toEqual({
      kind: "user-assigned",
      by: "resourceId",
      value: id,
    });
  });

  it("a timeout that is not a positive number of milliseconds", () => {
    expect(
      messageOf(() => createManagedIdentityCredential({ env: { AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "90s" } })),
    ).toEqual({
      message: "AZURE_MANAGED_IDENTITY_TIMEOUT_MS must be a positive number of milliseconds, not '90s'.",
      setting: "AZURE_MANAGED_IDENTITY_TIMEOUT_MS",
    });
    expect(messageOf(() => createManagedIdentityCredential({ timeoutMs: 0, env: {} })).setting).toBe(
      "timeoutMs",
    );
  });

  it("an IMDS address override that is not an http(s) URL", () => {
    const saved = process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
    process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = "127.0.0.1:8080";
    try {
      expect(messageOf(() => createManagedIdentityCredential({ env: {} }))).toEqual({
        message:
          "AZURE_POD_IDENTITY_AUTHORITY_HOST must be an http(s) URL like http://127.0.0.1:8080, not '127.0.0.1:8080'.",
        setting: "AZURE_POD_IDENTITY_AUTHORITY_HOST",
      });
    } finally {
      if (saved === undefined) delete process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST;
      else process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = saved;
    }
  });

  it("defaults to a 90 s deadline, long enough for the SDK's own IMDS retries", () => {
    expect(createManagedIdentityCredential({ env: {} }).timeoutMs).toBe(90_000);
  });
});

// Two user-assigned selectors at once is ambiguous: refused before any request, naming both settings.
describe("two identity selectors", () => {
  const clientId = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
  const objectId = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";

  function usageErrorOf(create: () => unknown): UsageError {
    try {
      create();
    } catch (error) {
      if (error instanceof UsageError) return error;
      throw error;
    }
    throw new Error("expected a UsageError");
  }

  it("in options: names both flags", () => {
    const error = usageErrorOf(() => createManagedIdentityCredential({ clientId, objectId, env: {} }));
    expect(error.message).toBe(
      "Choose one user-assigned identity: --client-id and --object-id are both set. Keep one of them, or none for the system-assigned identity.",
    );
    expect(error.setting).toBe("--client-id, --object-id");
    expect(explainError(error)).toEqual({ message: error.message, exitCode: 2 });
  });

  it("in the environment: names both variables", () => {
    const error = usageErrorOf(() =>
      createManagedIdentityCredential({
        env: { AZURE_CLIENT_ID: clientId, AZURE_MANAGED_IDENTITY_OBJECT_ID: objectId },
      }),
    );
    expect(error.message).toContain("AZURE_CLIENT_ID and AZURE_MANAGED_IDENTITY_OBJECT_ID are both set");
  });

  it("one in options and one in the environment is not ambiguous: options win", () => {
    const credential = createManagedIdentityCredential({ objectId, env: { AZURE_CLIENT_ID: clientId } });
    expect(credential.identity).toEqual({ kind: "user-assigned", by: "objectId", value: objectId });
  });

  it("an empty variable counts as unset", () => {
    const credential = createManagedIdentityCredential({
      env: { AZURE_CLIENT_ID: " ", AZURE_MANAGED_IDENTITY_OBJECT_ID: "" },
    });
    expect(credential.identity).toEqual({ kind: "system-assigned" });
  });
});

// Which identity the credential asks IMDS for: system-assigned by default, or the one user-assigned selector given
// in options or, failing that, in the environment; seen on the wire by a fake IMDS.
describe.concurrent("createManagedIdentityCredential picks the identity", () => {
  interface Report {
    identity?: unknown;
    gotToken?: boolean;
    error?: { name: string; message: string };
  }

  async function requestToken(
    context: TestContext,
    options: { credential?: object; env?: Record<string, string> },
  ) {
    const imds = await fakeImdsForTest(context);
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ credential: options.credential }),
        ...options.env,
      },
    });
    const report = reportOf<Report>(run);
    expect(report.error).toBeUndefined();
    expect(report.gotToken).toBe(true);
    const [request] = imds.tokenRequests();
    return { report, query: request?.query ?? {} };
  }

  it("asks for the system-assigned identity when nothing is set", async (context) => {
    const { report, query } = await requestToken(context, {});
    expect(report.identity).toEqual({ kind: "system-assigned" });
    expect(query).toEqual({ "api-version": "2018-02-01", resource: "https://management.azure.com" });
  });

  it("sends client_id for AZURE_CLIENT_ID", async (context) => {
    const { report, query } = await requestToken(context, {
      env: { AZURE_CLIENT_ID: userAssigned.clientId },
    });
    expect(report.identity).toEqual({ kind: "user-assigned", by: "clientId", value: userAssigned.clientId });
    expect(query.client_id).toBe(userAssigned.clientId);
  });

  it("sends object_id for AZURE_MANAGED_IDENTITY_OBJECT_ID", async (context) => {
    const { query } = await requestToken(context, {
      env: { AZURE_MANAGED_IDENTITY_OBJECT_ID: userAssigned.objectId },
    });
    expect(query.object_id).toBe(userAssigned.objectId);
  });

  it("sends msi_res_id for AZURE_MANAGED_IDENTITY_RESOURCE_ID", async (context) => {
    const { report, query } = await requestToken(context, {
      env: { AZURE_MANAGED_IDENTITY_RESOURCE_ID: userAssigned.resourceId },
    });
    expect(report.identity).toEqual({
      kind: "user-assigned",
      by: "resourceId",
      value: userAssigned.resourceId,
    });
    expect(query.msi_res_id).toBe(userAssigned.resourceId);
  });

  it("prefers options over the environment", async (context) => {
    const { report, query } = await requestToken(context, {
      credential: { objectId: userAssigned.objectId },
      env: { AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000001" },
    });
    expect(report.identity).toEqual({ kind: "user-assigned", by: "objectId", value: userAssigned.objectId });
    expect(query.object_id).toBe(userAssigned.objectId);
    expect(query.client_id).toBeUndefined();
  });

  it("asks IMDS once for two calls, because the SDK caches the token", async (context) => {
    const imds = await fakeImdsForTest(context);
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, FIXTURE_OPTIONS: JSON.stringify({ calls: 2 }) },
    });
    expect(reportOf<Report>(run).gotToken).toBe(true);
    expect(imds.tokenRequests()).toHaveLength(1);
  });
});

// An IMDS that accepts the token request and never answers: the SDK alone would wait forever. (Its request stays
// open after the deadline, so the fixture exits by itself, as a sample's exitWithError does.)
describe.concurrent("a token request to an IMDS that never answers", () => {
  interface Report {
    gotToken?: boolean;
    error?: { name: string; message: string };
    explanation?: { message: string; exitCode: number };
  }

  it("fails with ManagedIdentityTimeoutError after the configured timeout", async (context) => {
    const imds = await fakeImdsForTest(context, { token: () => "hang" });
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

  it("reads the timeout from AZURE_MANAGED_IDENTITY_TIMEOUT_MS", async (context) => {
    const imds = await fakeImdsForTest(context, { token: () => "hang" });
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

// The SDK ignores GetTokenOptions.abortSignal for managed identity; this credential honours it.
describe.concurrent("a token request the caller aborts", () => {
  it("stops waiting for a hung IMDS when the caller aborts", async (context) => {
    const imds = await fakeImdsForTest(context, { token: () => "hang" });
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({
          abortAfterMs: 200,
          credential: { timeoutMs: 60_000 },
          exitWhenDone: true,
        }),
      },
    });
    expect(run.killed).toBe(false);
    const report = reportOf<{ error?: { name: string } }>(run);
    expect(report.error?.name).toBe("AbortError");
  });
});
