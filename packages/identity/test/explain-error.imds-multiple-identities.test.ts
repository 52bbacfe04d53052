// IMDS answers 400 "Multiple user assigned identities exist, …" when the VM has several user-assigned identities
// and the request names none.
import { afterEach, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds, tokenReplies } from "./support/fake-imds.ts";

let imds: FakeImds;
afterEach(() => imds.close());

it("tells which setting chooses one", async () => {
  imds = await startFakeImds({ token: () => tokenReplies.multipleIdentities });
  const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
  expect(reportOf<{ explanation: unknown }>(run).explanation).toEqual({
    message: [
      "This VM has several user-assigned managed identities, so IMDS needs to be told which one to use.",
      "Choose one: set AZURE_CLIENT_ID or pass --client-id (or --object-id / --resource-id).",
    ].join("\n"),
    exitCode: 1,
  });
});
