// IMDS answers that have no specific advice are still reported as what they are, in one line, not as MSAL's
// rendering of them.
import { afterEach, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds } from "./support/fake-imds.ts";

let imds: FakeImds;
afterEach(() => imds.close());

it("an IMDS error body: its error and description", async () => {
  // What IMDS relays from Entra ID for a scope no resource answers to.
  imds = await startFakeImds({
    token: () => ({
      status: 400,
      json: {
        error: "invalid_resource",
        error_description:
          "AADSTS500011: The resource principal named https://example.invalid was not found in the tenant.",
      },
    }),
  });
  const run = await runScript("get-token.ts", {
    env: {
      AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url,
      FIXTURE_OPTIONS: JSON.stringify({ scope: "https://example.invalid/.default" }),
    },
  });
  expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
    message: `Managed identity: IMDS at ${imds.url} refused the token request: invalid_resource: AADSTS500011: The resource principal named https://example.invalid was not found in the tenant.`,
    exitCode: 1,
  });
});

it("an answer that is not IMDS's JSON, with no proxy set: status and text", async () => {
  imds = await startFakeImds({ token: () => ({ status: 403, text: "Forbidden by policy" }) });
  const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
  expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
    message: `Managed identity: IMDS at ${imds.url} answered HTTP 403: Forbidden by policy`,
    exitCode: 1,
  });
});
