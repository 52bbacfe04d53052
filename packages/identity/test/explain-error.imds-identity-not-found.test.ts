// IMDS answers 400 {"error":"invalid_request","error_description":"Identity not found"} when the VM has no such
// identity; the explanation names the selector that was used and how to fix it.
import { afterEach, describe, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds, tokenReplies, userAssigned } from "./support/fake-imds.ts";

interface Report {
  error?: { name: string; message: string };
  explanation?: { message: string; exitCode: number };
}

describe("IMDS: Identity not found", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  async function explanationFor(env: Record<string, string>) {
    imds = await startFakeImds({ token: () => tokenReplies.identityNotFound });
    const run = await runScript("get-token.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, ...env },
    });
    const report = reportOf<Report>(run);
    // What the SDK throws: its own error class, with MSAL's rendering of the IMDS body.
    expect(report.error?.name).toBe("CredentialUnavailableError");
    expect(report.error?.message).toContain("Description: Identity not found");
    return report.explanation;
  }

  it("for the system-assigned identity: enable it, or choose a user-assigned one", async () => {
    expect(await explanationFor({})).toEqual({
      message: [
        "This VM has no system-assigned managed identity (IMDS: Identity not found).",
        "Enable it with: az vm identity assign --resource-group <group> --name <vm>; or use a user-assigned identity: set AZURE_CLIENT_ID or pass --client-id.",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("for a client ID: names it, where it came from, and how to assign the identity", async () => {
    expect(await explanationFor({ AZURE_CLIENT_ID: userAssigned.clientId })).toEqual({
      message: [
        `IMDS found no user-assigned identity with client ID ${userAssigned.clientId} (from AZURE_CLIENT_ID) on this VM.`,
        "Check the value, and that the identity is assigned to this VM: az vm identity assign --resource-group <group> --name <vm> --identities <identity resource ID>",
      ].join("\n"),
      exitCode: 1,
    });
  });
});
