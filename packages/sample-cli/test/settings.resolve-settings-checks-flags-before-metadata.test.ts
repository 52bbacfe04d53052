// resolveSettings: several settings at once, with every value from a flag, the environment or a fixed default checked
// before the first instance-metadata request, so a typo is reported first and costs no request.

import { UsageError } from "@msi-samples/identity";
import { afterEach, describe, expect, it } from "vitest";
import {
  resolveSettings,
  validateGuid,
  validateRegionName,
  validateResourceGroupName,
} from "../src/index.ts";
import { computeMetadata, type FakeImds, startFakeImds } from "./support/fake-imds.ts";

describe("resolveSettings", () => {
  let imds: FakeImds;
  afterEach(() => imds.close());

  function requests(env: NodeJS.ProcessEnv, location: string | undefined) {
    return {
      subscription: {
        name: "subscription-id",
        envName: "AZURE_SUBSCRIPTION_ID",
        env,
        fromMetadata: "subscriptionId",
        validate: validateGuid,
      },
      resourceGroup: {
        name: "resource-group",
        envName: "RESOURCE_GROUP_NAME",
        env,
        default: "msi-sample-rg",
        validate: validateResourceGroupName,
      },
      location: {
        name: "location",
        flag: location,
        envName: "AZURE_LOCATION",
        env,
        fromMetadata: "location",
        validate: validateRegionName,
      },
    } as const;
  }

  it("reports an invalid flag before asking instance metadata for the settings before it", async () => {
    imds = await startFakeImds();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url };
    const error = await resolveSettings(requests(env, "West Europe")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({
      message:
        "Invalid location 'West Europe' (from --location): must be a region name as `az account list-locations --query \"[].name\"` prints it, such as westeurope",
      setting: "--location / AZURE_LOCATION",
    });
    expect(imds.requests).toEqual([]);
  });

  it("reports an invalid environment variable the same way", async () => {
    imds = await startFakeImds();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url, RESOURCE_GROUP_NAME: "rg/slash" };
    const error = await resolveSettings(requests(env, undefined)).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Invalid resource group 'rg\/slash' \(from RESOURCE_GROUP_NAME\)/,
    );
    expect(imds.requests).toEqual([]);
  });

  it("resolves them all, asking instance metadata once for several of its fields", async () => {
    imds = await startFakeImds();
    const env = { AZURE_POD_IDENTITY_AUTHORITY_HOST: imds.url };
    await expect(resolveSettings(requests(env, undefined))).resolves.toEqual({
      subscription: { value: computeMetadata.subscriptionId, source: "instance metadata" },
      resourceGroup: { value: "msi-sample-rg", source: "default" },
      location: { value: "southcentralus", source: "instance metadata" },
    });
    expect(imds.requests).toHaveLength(1);
  });
});
