// IMDS answering 429 (its rate limit) is explained as throttling, not as a refused request. The SDK's error keeps no
// headers, so the explanation cannot quote IMDS's Retry-After.
import { afterEach, expect, it } from "vitest";
import { reportOf, runScript } from "./support/child-process.ts";
import { type FakeImds, startFakeImds } from "./support/fake-imds.ts";

let imds: FakeImds;
afterEach(() => imds.close());

it("IMDS throttling, after the SDK's own retries", async () => {
  // The emulator's body for its imdsTooManyRequests fault; IMDS's docs ("Rate limiting") say it answers 429.
  imds = await startFakeImds({
    token: () => ({
      status: 429,
      headers: { "retry-after": "2" },
      json: {
        error: "too_many_requests",
        error_description: "Too many requests: IMDS throttle limit reached",
      },
    }),
  });
  const run = await runScript("get-token.ts", { env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
  const report = reportOf<{ explanation: unknown }>(run);
  expect(report.explanation).toEqual({
    message: [
      "Azure is throttling these requests (HTTP 429 too_many_requests).",
      "Wait a minute and run again.",
    ].join("\n"),
    exitCode: 1,
  });
});
