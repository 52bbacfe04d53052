// resolveSetting's default (after instance metadata, instead of a prompt), optional settings, and a field of the VM's
// instance metadata named instead of a function.

import { UsageError } from "@msi-samples/identity";
import { afterEach, describe, expect, it } from "vitest";
import { resolveSetting, validateResourceGroupName } from "../src/index.ts";
import { type FakeImds, startFakeImds, subscriptionId } from "./support/fake-imds.ts";

const base = { name: "resource-group", envName: "RESOURCE_GROUP_NAME" };

describe("resolveSetting", () => {
  let imds: FakeImds | undefined;
  afterEach(async () => {
    await imds?.close();
    imds = undefined;
  });

  it("uses the default when flag and environment give nothing, and says so", async () => {
    await expect(resolveSetting({ ...base, env: {}, default: "msi-sample-rg" })).resolves.toEqual({
      value: "msi-sample-rg",
      source: "default",
    });
  });

  it("prefers the environment, then instance metadata, to the default", async () => {
    await expect(
      resolveSetting({ ...base, env: { RESOURCE_GROUP_NAME: "rg-env" }, default: "msi-sample-rg" }),
    ).resolves.toEqual({ value: "rg-env", source: "environment" });
    await expect(
      resolveSetting({ ...base, env: {}, fromMetadata: async () => "rg-vm", default: "msi-sample-rg" }),
    ).resolves.toEqual({ value: "rg-vm", source: "instance metadata" });
  });

  it("checks the default like any value", async () => {
    const error = await resolveSetting({
      ...base,
      env: {},
      default: "ends-with-a-period.",
      validate: validateResourceGroupName,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "Invalid resource group 'ends-with-a-period.' (from the default): must be 1-90 letters, digits, underscores, hyphens, periods or parentheses, and not end with a period",
    );
  });

  it("resolves an optional setting that nothing gives to undefined", async () => {
    await expect(resolveSetting({ ...base, env: {}, optional: true })).resolves.toBeUndefined();
    await expect(resolveSetting({ ...base, flag: "rg-flag", env: {}, optional: true })).resolves.toEqual({
      value: "rg-flag",
      source: "flag",
    });
  });

  it("reads a named field of the VM's instance metadata, from the IMDS of its environment", async () => {
    imds = await startFakeImds();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url };
    await expect(
      resolveSetting({
        name: "subscription-id",
        envName: "AZURE_SUBSCRIPTION_ID",
        env,
        fromMetadata: "subscriptionId",
      }),
    ).resolves.toEqual({ value: subscriptionId, source: "instance metadata" });
    expect(imds.requests.map((request) => request.path)).toEqual(["/metadata/instance/compute"]);
  });
});
