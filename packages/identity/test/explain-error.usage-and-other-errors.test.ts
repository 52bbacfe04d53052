// The remaining cases: usage errors (exit 2), errors wrapped by a caller, and the one-line fallback for anything
// else, with its code and HTTP status.
import { parseArgs } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { explainError, ManagedIdentityTimeoutError, UsageError } from "../src/index.ts";
import { armResourceGroupNotFound } from "./support/azure-error-bodies.ts";
import { type HttpStub, startHttpStub } from "./support/http-stub.ts";
import { resourceManagementClientFor } from "./support/sdk-clients-over-http.ts";

describe("explainError", () => {
  let arm: HttpStub | undefined;
  afterEach(async () => {
    await arm?.close();
    arm = undefined;
  });

  it("a UsageError: its message, exit code 2", () => {
    const error = new UsageError(
      "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.",
    );
    expect(explainError(error)).toEqual({ message: error.message, exitCode: 2 });
  });

  it("node:util parseArgs' own errors are usage errors too", () => {
    let thrown: unknown;
    try {
      parseArgs({ args: ["--nope"], options: {}, strict: true });
    } catch (error) {
      thrown = error;
    }
    expect(explainError(thrown).exitCode).toBe(2);
  });

  it("a ManagedIdentityTimeoutError wrapped by a caller: the inner explanation", () => {
    const timeout = new ManagedIdentityTimeoutError("Managed identity: IMDS did not answer.", {
      timeoutMs: 300,
      endpoint: "http://169.254.169.254",
    });
    expect(explainError(new Error("Could not list resource groups", { cause: timeout }))).toEqual({
      message: timeout.message,
      exitCode: 1,
    });
  });

  it("any other Azure error: its message, code and status on one line", async () => {
    arm = await startHttpStub(() => armResourceGroupNotFound("rg-missing"));
    const error = await resourceManagementClientFor(arm.url)
      .resourceGroups.get("rg-missing")
      .catch((error: unknown) => error);
    expect(explainError(error)).toEqual({
      message: "Resource group 'rg-missing' could not be found. (ResourceGroupNotFound, HTTP 404)",
      exitCode: 1,
    });
  });

  it("a multi-line message becomes one line", () => {
    expect(explainError(new Error("first\r\n  second\nthird")).message).toBe("first second third");
  });

  it("something that is not an Error", () => {
    expect(explainError("plain text")).toEqual({ message: "plain text", exitCode: 1 });
  });
});
