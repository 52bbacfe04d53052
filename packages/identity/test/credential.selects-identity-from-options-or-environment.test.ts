// Which identity the credential asks IMDS for: system-assigned by default, or the one user-assigned selector given
// in options or, failing that, in the environment; seen on the wire by a fake IMDS.
import { afterEach, describe, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds, userAssigned } from "./support/fake-imds.ts";

interface Report {
  identity?: unknown;
  gotToken?: boolean;
  error?: { name: string; message: string };
}

describe("createManagedIdentityCredential picks the identity", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  async function requestToken(options: { credential?: object; env?: Record<string, string> }) {
    imds = await startFakeImds();
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

  it("asks for the system-assigned identity when nothing is set", async () => {
    const { report, query } = await requestToken({});
    expect(report.identity).toEqual({ kind: "system-assigned" });
    expect(query).toEqual({ "api-version": "2018-02-01", resource: "https://management.azure.com" });
  });

  it("sends client_id for AZURE_CLIENT_ID", async () => {
    const { report, query } = await requestToken({ env: { AZURE_CLIENT_ID: userAssigned.clientId } });
    expect(report.identity).toEqual({ kind: "user-assigned", by: "clientId", value: userAssigned.clientId });
    expect(query.client_id).toBe(userAssigned.clientId);
  });

  it("sends object_id for AZURE_MANAGED_IDENTITY_OBJECT_ID", async () => {
    const { query } = await requestToken({
      env: { AZURE_MANAGED_IDENTITY_OBJECT_ID: userAssigned.objectId },
    });
    expect(query.object_id).toBe(userAssigned.objectId);
  });

  it("sends msi_res_id for AZURE_MANAGED_IDENTITY_RESOURCE_ID", async () => {
    const { report, query } = await requestToken({
      env: { AZURE_MANAGED_IDENTITY_RESOURCE_ID: userAssigned.resourceId },
    });
    expect(report.identity).toEqual({
      kind: "user-assigned",
      by: "resourceId",
      value: userAssigned.resourceId,
    });
    expect(query.msi_res_id).toBe(userAssigned.resourceId);
  });

  it("prefers options over the environment", async () => {
    const { report, query } = await requestToken({
      credential: { objectId: userAssigned.objectId },
      env: { AZURE_CLIENT_ID: "00000000-0000-0000-0000-000000000001" },
    });
    expect(report.identity).toEqual({ kind: "user-assigned", by: "objectId", value: userAssigned.objectId });
    expect(query.object_id).toBe(userAssigned.objectId);
    expect(query.client_id).toBeUndefined();
  });

  it("asks IMDS once for two calls, because the SDK caches the token", async () => {
    imds = await startFakeImds();
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, FIXTURE_OPTIONS: JSON.stringify({ calls: 2 }) },
    });
    expect(reportOf<Report>(run).gotToken).toBe(true);
    expect(imds.tokenRequests()).toHaveLength(1);
  });
});
