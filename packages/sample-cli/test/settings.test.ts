// A sample's settings: each from its flag, its environment variable, the VM's instance metadata or a prompt, in that
// order, with defaults and optional ones; and every flag checked before instance metadata is asked.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { InstanceMetadataError, UsageError } from "@msi-samples/identity";
import { afterEach, describe, expect, it } from "vitest";
import {
  resolveSetting,
  resolveSettings,
  validateGuid,
  validateRegionName,
  validateResourceGroupName,
} from "../src/index.ts";
import { fixturePath } from "./support/child-process.ts";
import { computeMetadata, type FakeImds, startFakeImds, subscriptionId } from "./support/fake-imds.ts";

// resolveSetting: flag, then environment, then instance metadata, then (on a terminal) a prompt; otherwise a
// UsageError naming the flag and the variable.
describe("resolveSetting", () => {
  const base = { name: "resource-group", envName: "AZURE_RESOURCE_GROUP" };

  it("takes the flag first", async () => {
    const fromMetadata = () => Promise.resolve("rg-metadata");
    await expect(
      resolveSetting({ ...base, flag: "rg-flag", env: { AZURE_RESOURCE_GROUP: "rg-env" }, fromMetadata }),
    ).resolves.toEqual({ value: "rg-flag", source: "flag" });
  });

  it("then the environment, without asking instance metadata", async () => {
    let asked = false;
    const fromMetadata = () => {
      asked = true;
      return Promise.resolve("rg-metadata");
    };
    await expect(
      resolveSetting({ ...base, flag: undefined, env: { AZURE_RESOURCE_GROUP: "rg-env" }, fromMetadata }),
    ).resolves.toEqual({ value: "rg-env", source: "environment" });
    expect(asked).toBe(false);
  });

  it("then instance metadata", async () => {
    await expect(
      resolveSetting({
        ...base,
        env: { AZURE_RESOURCE_GROUP: "" },
        fromMetadata: () => Promise.resolve("rg-vm"),
      }),
    ).resolves.toEqual({ value: "rg-vm", source: "instance metadata" });
  });

  it("fails naming the flag and the variable when nothing gives a value (no terminal here)", async () => {
    const error = await resolveSetting({ ...base, env: {}, prompt: "Resource group:" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({
      message: "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.",
      setting: "--resource-group / AZURE_RESOURCE_GROUP",
    });
  });

  it("treats unavailable instance metadata as no value, and says why", async () => {
    const fromMetadata = () =>
      Promise.reject(
        new InstanceMetadataError("Instance metadata: IMDS did not answer within 5 s.", {
          endpoint: "http://169.254.169.254",
          code: "ETIMEDOUT",
        }),
      );
    const error = await resolveSetting({ ...base, env: {}, fromMetadata }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toBe(
      "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.\n(Not read from instance metadata either: Instance metadata: IMDS did not answer within 5 s.)",
    );
  });

  it("fails with the metadata error itself when IMDS answered with an error (not a missing setting)", async () => {
    const answered = new InstanceMetadataError("Instance metadata: IMDS answered 500.", {
      endpoint: "http://169.254.169.254",
      statusCode: 500,
    });
    const error = await resolveSetting({
      ...base,
      env: {},
      fromMetadata: () => Promise.reject(answered),
    }).catch((e: unknown) => e);
    expect(error).toBe(answered);
  });

  it("names only the environment variable for a setting without a flag", async () => {
    const error = await resolveSetting({ name: "tenant ID", envName: "AZURE_TENANT_ID", env: {} }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe("Missing tenant ID: set AZURE_TENANT_ID.");
  });

  it("validates the value, saying where it came from", async () => {
    const error = await resolveSetting({
      ...base,
      env: { AZURE_RESOURCE_GROUP: "bad/name" },
      validate: (value) => (value.includes("/") ? "no '/' allowed" : undefined),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      message: "Invalid resource group 'bad/name' (from AZURE_RESOURCE_GROUP): no '/' allowed",
      setting: "--resource-group / AZURE_RESOURCE_GROUP",
    });
  });

  // util-linux `script` runs a command on a pseudo-terminal: the honest way to be a person at a terminal.
  const hasScript = process.platform === "linux" && existsSync("/usr/bin/script");

  it.skipIf(!hasScript)("asks on a terminal when flag, environment and metadata give nothing", async () => {
    // The repository needs Node.js 22.18 or later, which runs TypeScript by stripping its types.
    const command = `'${process.execPath}' '${fixturePath("sample.ts")}' --ask-resource-group`;
    const env = { ...process.env };
    delete env.AZURE_RESOURCE_GROUP;
    const child = spawn("/usr/bin/script", ["-qec", command, "/dev/null"], {
      env,
      stdio: ["pipe", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      if (chunk.includes("Resource group:")) child.stdin.end("rg-typed\n");
    });
    const exitCode = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(exitCode).toBe(0);
    expect(output).toContain('{"value":"rg-typed","source":"prompt"}');
  });
});

// resolveSetting's default (after instance metadata, instead of a prompt), optional settings, and a field of the VM's
// instance metadata named instead of a function.
describe("resolveSetting with a default, an optional setting or a field of instance metadata", () => {
  const base = { name: "resource-group", envName: "RESOURCE_GROUP_NAME" };

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

// resolveSettings: several settings at once, with every value from a flag, the environment or a fixed default checked
// before the first instance-metadata request, so a typo is reported first and costs no request.
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
