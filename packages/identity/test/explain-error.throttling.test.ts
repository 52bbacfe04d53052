// HTTP 429: wait and run again, for as long as the service's Retry-After says when it says so.
import { afterEach, expect, it } from "vitest";
import { explainError } from "../src/index.ts";
import { armThrottled } from "./support/azure-error-bodies.ts";
import { type HttpStub, startHttpStub } from "./support/http-stub.ts";
import { resourceManagementClientFor } from "./support/sdk-clients-over-http.ts";

let arm: HttpStub;
afterEach(() => arm.close());

it("ARM throttling with Retry-After", async () => {
  arm = await startHttpStub(() => armThrottled(17));
  const error = await resourceManagementClientFor(arm.url)
    .resourceGroups.get("rg-samples")
    .catch((error: unknown) => error);
  expect(error).toMatchObject({ statusCode: 429, code: "TooManyRequests" });
  expect(explainError(error)).toEqual({
    message: [
      "Azure is throttling these requests (HTTP 429 TooManyRequests).",
      "Wait 17 s (as its Retry-After header asks) and run again.",
    ].join("\n"),
    exitCode: 1,
  });
});

it("throttling without Retry-After", async () => {
  arm = await startHttpStub(() => ({
    status: 429,
    json: { error: { code: "TooManyRequests", message: "Slow down." } },
  }));
  const error = await resourceManagementClientFor(arm.url)
    .resourceGroups.get("rg-samples")
    .catch((error: unknown) => error);
  expect(explainError(error).message).toBe(
    "Azure is throttling these requests (HTTP 429 TooManyRequests).\nWait a minute and run again.",
  );
});
