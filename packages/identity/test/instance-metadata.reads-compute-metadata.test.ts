// getInstanceMetadata reads the VM's compute metadata from IMDS, with the Metadata header, at the address and
// through the proxy the credential would use.
import { afterEach, describe, expect, it } from "vitest";
import { getInstanceMetadata } from "../src/index.ts";
import { reportOf, runScript } from "./support/child-process.ts";
import { computeMetadata, type FakeImds, startFakeImds } from "./support/fake-imds.ts";
import { type HttpStub, startHttpStub } from "./support/http-stub.ts";

describe("getInstanceMetadata", () => {
  let imds: FakeImds | undefined;
  let proxy: HttpStub | undefined;
  afterEach(async () => {
    await imds?.close();
    await proxy?.close();
    imds = proxy = undefined;
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

  it("goes through the proxy of HTTPS_PROXY, like the credential", async () => {
    proxy = await startHttpStub(() => ({ status: 200, json: computeMetadata }));
    const run = await runScript("instance-metadata.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://imds.test", HTTPS_PROXY: proxy.url },
    });
    expect(reportOf<{ metadata?: { name: string } }>(run).metadata?.name).toBe("vm-samples");
    expect(proxy.requests[0]?.target).toBe(
      "http://imds.test/metadata/instance/compute?api-version=2021-02-01",
    );
  });

  it("bypasses the proxy for a host in NO_PROXY", async () => {
    imds = await startFakeImds();
    proxy = await startHttpStub(() => ({ status: 502, text: "proxy should not be used" }));
    const run = await runScript("instance-metadata.ts", {
      env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, HTTPS_PROXY: proxy.url, NO_PROXY: "127.0.0.1" },
    });
    expect(reportOf<{ metadata?: { name: string } }>(run).metadata?.name).toBe("vm-samples");
    expect(proxy.requests).toHaveLength(0);
  });
});
