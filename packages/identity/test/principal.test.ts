// describePrincipal / formatPrincipal: who is signed in, from the token IMDS issued, without ever printing it.
import { afterEach, describe, expect, it } from "vitest";
import { formatPrincipal, principalFromAccessToken } from "../src/index.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import {
  accessTokenFor,
  type FakeImds,
  startFakeImds,
  systemAssigned,
  tenantId,
  userAssigned,
} from "./support/fake-imds.ts";

describe("describePrincipal through a real token request", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  async function signedInAs(env: Record<string, string> = {}) {
    imds = await startFakeImds();
    const run = await runScript("get-token.ts", {
      env: {
        AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
        FIXTURE_OPTIONS: JSON.stringify({ describe: true }),
        ...env,
      },
    });
    // The fake's tokens differ per issue only in their times; check no token part reached the output.
    const [header, payload] = accessTokenFor(systemAssigned, "https://management.azure.com").split(".");
    expect(run.stdout + run.stderr).not.toContain(header);
    expect(run.stdout + run.stderr).not.toContain(payload?.slice(0, 40));
    return reportOf<{ signedInAs?: string }>(run).signedInAs;
  }

  it("names the VM of a system-assigned identity", async () => {
    expect(await signedInAs()).toBe(
      `Signed in as the system-assigned identity of VM 'vm-samples' (object ID ${systemAssigned.objectId}, client ID ${systemAssigned.clientId}, tenant ${tenantId})`,
    );
  });

  it("names a user-assigned identity", async () => {
    expect(await signedInAs({ AZURE_CLIENT_ID: userAssigned.clientId })).toBe(
      `Signed in as user-assigned identity 'id-samples' (object ID ${userAssigned.objectId}, client ID ${userAssigned.clientId}, tenant ${tenantId})`,
    );
  });
});

describe("principalFromAccessToken", () => {
  it("reads oid, appid, tid and xms_mirid", () => {
    expect(principalFromAccessToken(accessTokenFor(userAssigned, "https://vault.azure.net"))).toEqual({
      objectId: userAssigned.objectId,
      clientId: userAssigned.clientId,
      tenantId,
      identityResourceId: userAssigned.resourceId,
      kind: "user-assigned",
    });
  });

  it("refuses a token that is not a JWT, without quoting it", () => {
    expect(() => principalFromAccessToken("secret-opaque-token")).toThrow(
      /^The access token is not a JWT, so it does not say who is signed in\.$/,
    );
  });

  it("names missing claims", () => {
    const [, , signature] = accessTokenFor(systemAssigned, "x").split(".");
    const payload = Buffer.from(JSON.stringify({ oid: systemAssigned.objectId })).toString("base64url");
    const header = Buffer.from(JSON.stringify({ alg: "none" })).toString("base64url");
    expect(() => principalFromAccessToken(`${header}.${payload}.${signature ?? ""}`)).toThrow(
      "The access token has no 'appid', 'tid' claim.",
    );
  });
});

describe("formatPrincipal", () => {
  const ids = { objectId: "o", clientId: "c", tenantId: "t" };

  it("a VM scale set's identity", () => {
    expect(
      formatPrincipal({
        ...ids,
        kind: "system-assigned",
        identityResourceId:
          "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/virtualMachineScaleSets/ss1",
      }),
    ).toBe(
      "Signed in as the system-assigned identity of VM scale set 'ss1' (object ID o, client ID c, tenant t)",
    );
  });

  it("a token without xms_mirid", () => {
    expect(formatPrincipal({ ...ids, kind: "system-assigned" })).toBe(
      "Signed in as the system-assigned identity (object ID o, client ID c, tenant t)",
    );
  });
});
