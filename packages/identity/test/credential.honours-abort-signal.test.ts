// The SDK ignores GetTokenOptions.abortSignal for managed identity; this credential honours it.
import { afterEach, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds } from "./support/fake-imds.ts";

let imds: FakeImds;
afterEach(() => imds.close());

it("stops waiting for a hung IMDS when the caller aborts", async () => {
  imds = await startFakeImds({ token: () => "hang" });
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
