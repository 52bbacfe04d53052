// IMDS answers 410 while it is being updated ("retry after some time (max 70 seconds)"), which the HTTP pipeline
// does not retry: getInstanceMetadata asks again within its deadline, and says what happened when the deadline passes.
import { afterEach, describe, expect, it } from "vitest";
import { getInstanceMetadata, InstanceMetadataError } from "../src/index.ts";
import { computeMetadata, type FakeImds, startFakeImds } from "./support/fake-imds.ts";

// IMDS's answer while it is being updated (as the emulator's IMDS fault sends it).
const beingUpdated = {
  status: 410,
  json: {
    error: "service_unavailable",
    error_description: "IMDS is being updated; retry after some time (max 70 seconds)",
  },
};

describe("getInstanceMetadata while IMDS is being updated, until the managed-identity deadline", () => {
  let imds: FakeImds | undefined;
  afterEach(async () => {
    await imds?.close();
    imds = undefined;
  });

  it("asks again until IMDS answers", async () => {
    imds = await startFakeImds({
      metadata: (_request, count) => (count <= 2 ? beingUpdated : { status: 200, json: computeMetadata }),
    });
    const metadata = await getInstanceMetadata({ env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    expect(metadata.subscriptionId).toBe(computeMetadata.subscriptionId);
    expect(imds.requests).toHaveLength(3);
  });

  it("gives up at its deadline, saying IMDS kept answering 410", async () => {
    imds = await startFakeImds({ metadata: () => beingUpdated });
    const error = await getInstanceMetadata({
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "1000" },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InstanceMetadataError);
    expect((error as Error).message).toMatch(
      /^Instance metadata: IMDS at http:\/\/127\.0\.0\.1:\d+ answered 410: service_unavailable IMDS is being updated; retry after some time \(max 70 seconds\) \(\d+ answers in [\d.]+ s; deadline 1 s, AZURE_MANAGED_IDENTITY_TIMEOUT_MS\)\.\nOn an Azure VM, run again in a minute, or pass the setting as a flag\.$/,
    );
    expect(imds.requests.length).toBeGreaterThan(1);
  });
});
