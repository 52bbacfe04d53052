// getInstanceMetadata: the VM's compute metadata from IMDS (subscription, group, region...), the answers it refuses,
// and its retries while IMDS is being updated, until the managed-identity deadline.

import { afterEach, describe, expect, it } from "vitest";
import { explainError, getInstanceMetadata, InstanceMetadataError } from "../src/index.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import { computeMetadata, type FakeImds, fakeImdsForTest, startFakeImds } from "./support/fake-imds.ts";
import { type Reply, startHttpStub } from "./support/http-stub.ts";

// getInstanceMetadata reads the VM's compute metadata from IMDS, with the Metadata header, at the address and
// through the proxy the credential would use.
describe("getInstanceMetadata", () => {
  let imds: FakeImds | undefined;
  afterEach(async () => {
    await imds?.close();
    imds = undefined;
  });

  it("returns the subscription, resource group, location, name, VM ID and more", async () => {
    imds = await startFakeImds();
    const metadata = await getInstanceMetadata({ env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    expect(metadata).toEqual({
      subscriptionId: computeMetadata.subscriptionId,
      resourceGroupName: "rg-samples",
      location: "southcentralus",
      name: "vm-samples",
      vmId: computeMetadata.vmId,
      resourceId: computeMetadata.resourceId,
      vmSize: "Standard_B2s",
      osType: "Linux",
      tags: { env: "test", owner: "samples" },
    });
    expect(imds.requests).toHaveLength(1);
    expect(imds.requests[0]).toMatchObject({
      method: "GET",
      path: "/metadata/instance/compute",
      query: { "api-version": "2021-02-01" },
      headers: { metadata: "true" },
    });
  });

  it("asks IMDS once per process, however many settings need it", async () => {
    imds = await startFakeImds();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url };
    const [first, second] = await Promise.all([getInstanceMetadata({ env }), getInstanceMetadata({ env })]);
    expect(second).toBe(first);
    expect(await getInstanceMetadata({ env })).toBe(first);
    expect(imds.requests).toHaveLength(1);
  });

  it("reads tags from the 'name:value;…' string when there is no tagsList", async () => {
    const { tagsList: _, ...withoutList } = computeMetadata;
    imds = await startFakeImds({
      metadata: () => ({ status: 200, json: { ...withoutList, tags: "a:1;b:x:y" } }),
    });
    const metadata = await getInstanceMetadata({ env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url } });
    expect(metadata.tags).toEqual({ a: "1", b: "x:y" });
  });

  // Each in a child process of its own (the SDK reads the proxy once per process), so these two run concurrently.
  it.concurrent("goes through the proxy of HTTPS_PROXY, like the credential", async (context) => {
    const proxy = await startHttpStub(() => ({ status: 200, json: computeMetadata }));
    context.onTestFinished(() => proxy.close());
    const run = await runScript("instance-metadata.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://imds.test", HTTPS_PROXY: proxy.url },
    });
    expect(reportOf<{ metadata?: { name: string } }>(run).metadata?.name).toBe("vm-samples");
    expect(proxy.requests[0]?.target).toBe(
      "http://imds.test/metadata/instance/compute?api-version=2021-02-01",
    );
  });

  it.concurrent("bypasses the proxy for a host in NO_PROXY", async (context) => {
    const imds = await fakeImdsForTest(context);
    const proxy = await startHttpStub(() => ({ status: 502, text: "proxy should not be used" }));
    context.onTestFinished(() => proxy.close());
    const run = await runScript("instance-metadata.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1" },
    });
    expect(reportOf<{ metadata?: { name: string } }>(run).metadata?.name).toBe("vm-samples");
    expect(proxy.requests).toHaveLength(0);
  });
});

// getInstanceMetadata fails with a clear InstanceMetadataError when IMDS answers with an error, with something that
// is not compute metadata, or not at all within the timeout.
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

// IMDS answers 410 while it is being updated ("retry after some time (max 70 seconds)"), which the HTTP pipeline
// does not retry: getInstanceMetadata asks again within its deadline, and says what happened when the deadline passes.
describe("getInstanceMetadata while IMDS is being updated, until the managed-identity deadline", () => {
  // IMDS's answer while it is being updated (as the emulator's IMDS fault sends it).
  const beingUpdated = {
    status: 410,
    json: {
      error: "service_unavailable",
      error_description: "IMDS is being updated; retry after some time (max 70 seconds)",
    },
  };

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
