// resolveSetting: flag, then environment, then instance metadata, then (on a terminal) a prompt; otherwise a
// UsageError naming the flag and the variable.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { InstanceMetadataError, UsageError } from "@msi-samples/identity";
import { describe, expect, it } from "vitest";
import { resolveSetting } from "../src/index.ts";
import { fixturePath } from "./support/child-process.ts";

const base = { name: "resource-group", envName: "AZURE_RESOURCE_GROUP" };

describe("resolveSetting", () => {
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
});

// util-linux `script` runs a command on a pseudo-terminal: the honest way to be a person at a terminal.
const hasScript = process.platform === "linux" && existsSync("/usr/bin/script");

it.skipIf(!hasScript)("asks on a terminal when flag, environment and metadata give nothing", async () => {
  const typeScriptFlags = process.features.typescript ? "" : "--import tsx ";
  const command = `'${process.execPath}' ${typeScriptFlags}'${fixturePath("sample.ts")}' --ask-resource-group`;
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
