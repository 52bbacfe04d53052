// getInstanceMetadata fails with a clear InstanceMetadataError when IMDS answers with an error, with something that
// is not compute metadata, or not at all within the timeout.
import { afterEach, describe, expect, it } from "vitest";
import { explainError, getInstanceMetadata, InstanceMetadataError } from "../src/index.ts";
import { computeMetadata, type FakeImds, startFakeImds } from "./support/fake-imds.ts";
import type { Reply } from "./support/http-stub.ts";

describe("getInstanceMetadata refuses", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  async function failureFor(reply: Reply, timeoutMs?: number): Promise<InstanceMetadataError> {
    imds = await startFakeImds({ metadata: () => reply });
    const error = await getInstanceMetadata({
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url },
      timeoutMs,
    }).then(
      () => expect.fail("getInstanceMetadata should have failed"),
      (error: unknown) => error,
    );
    expect(error).toBeInstanceOf(InstanceMetadataError);
    return error as InstanceMetadataError;
  }

  it("an IMDS error answer, quoting it", async () => {
    const error = await failureFor({
      status: 400,
      json: { error: "Bad request. api-version was not specified in the request." },
    });
    expect(error.message).toBe(
      `Instance metadata: IMDS at ${imds.url} answered 400: Bad request. api-version was not specified in the request.`,
    );
    expect(error.statusCode).toBe(400);
    expect(explainError(error)).toEqual({ message: error.message, exitCode: 1 });
  });

  it("metadata without a VM ID", async () => {
    const { vmId: _, ...withoutVmId } = computeMetadata;
    const error = await failureFor({ status: 200, json: withoutVmId });
    expect(error.message).toBe(`Instance metadata: IMDS at ${imds.url} sent no 'vmId'.`);
  });

  it("a subscription ID that is not a GUID", async () => {
    const error = await failureFor({ status: 200, json: { ...computeMetadata, subscriptionId: "sub-1" } });
    expect(error.message).toContain("sent a subscriptionId that is not a GUID: 'sub-1'");
  });

  it("a body that is not JSON", async () => {
    const error = await failureFor({ status: 200, text: "<html>captive portal</html>" });
    expect(error.message).toContain("sent a body that is not JSON: <html>captive portal</html>");
  });

  it("no answer within the timeout", async () => {
    const error = await failureFor("hang", 300);
    expect(error.message).toBe(`Instance metadata: IMDS at ${imds.url} did not answer within 0.3 s.`);
    expect(explainError(error).message).toContain(`(IMDS at ${imds.url}: timed out)`);
  });
});
