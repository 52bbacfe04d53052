// A sample's command line, run as a real process: its --help text, its exit codes (0, 2 for usage, 1 for the rest,
// 130 on Ctrl-C) with one explanation and no stack trace unless asked; the processes run concurrently.

import { describe, expect, it } from "vitest";
import { formatUsage, identitySelectorUsage } from "../src/index.ts";
import { runScript } from "./support/child-process.ts";

// formatUsage: a sample's --help, with its options in aligned columns, the identity flags every sample shares, and
// the --verbose and --help that parseSampleArgs adds.
describe("formatUsage", () => {
  it("aligns the options, the shared identity flags included, and ends with --verbose and --help", () => {
    const usage = formatUsage("Lists the resource groups of a subscription.", [
      ["--subscription-id ID", "Subscription to list (env AZURE_SUBSCRIPTION_ID)"],
      ["--json", "Print JSON"],
      ...identitySelectorUsage,
    ]);
    expect(usage).toBe(
      [
        "Lists the resource groups of a subscription.",
        "",
        "Usage: node src/index.ts [options]",
        "",
        "Options:",
        "  --subscription-id ID  Subscription to list (env AZURE_SUBSCRIPTION_ID)",
        "  --json                Print JSON",
        "  --client-id ID        Sign in as the user-assigned identity with this client ID (env AZURE_CLIENT_ID)",
        "  --object-id ID        ... or with this object ID (env AZURE_MANAGED_IDENTITY_OBJECT_ID)",
        "  --resource-id ID      ... or with this resource ID (env AZURE_MANAGED_IDENTITY_RESOURCE_ID)",
        "                        (none of the three: the VM's system-assigned identity)",
        "  --verbose             Print stack traces on errors",
        "  -h, --help            Show this help",
      ].join("\n"),
    );
  });
});

// A sample's exit: 0 on success, 2 for usage errors, 1 for the rest; one explanation on stderr and no stack trace
// unless asked for. Run as real processes.
describe.concurrent("a sample ending with exitWithError", () => {
  it("exits 0 when main() succeeds", async () => {
    const run = await runScript("sample.ts");
    expect(run).toMatchObject({ exitCode: 0, stdout: "done\n", stderr: "" });
  });

  it("exits 2 with the message of a UsageError, and no stack trace", async () => {
    const run = await runScript("sample.ts", { args: ["--fail", "usage"] });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr: "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.\n",
    });
  });

  it("exits 1 with the explanation of an Azure error, and no stack trace", async () => {
    const run = await runScript("sample.ts", { args: ["--fail", "azure"] });
    expect(run).toMatchObject({
      exitCode: 1,
      stderr: "Resource group 'rg' could not be found. (ResourceGroupNotFound, HTTP 404)\n",
    });
  });

  it("exits 1 for any other error", async () => {
    const run = await runScript("sample.ts", { args: ["--fail", "plain"] });
    expect(run).toMatchObject({ exitCode: 1, stderr: "Something else broke.\n" });
  });

  it("adds the stack trace with --verbose", async () => {
    const run = await runScript("sample.ts", { args: ["--fail", "plain", "--verbose"] });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/^Something else broke\.\n\nError: Something else broke\.\n {4}at main \(/);
  });

  it("adds the stack trace when MSI_SAMPLES_VERBOSE or DEBUG is set", async () => {
    for (const env of [{ MSI_SAMPLES_VERBOSE: "1" }, { DEBUG: "*" }]) {
      const run = await runScript("sample.ts", { args: ["--fail", "azure"], env });
      expect(run.stderr, JSON.stringify(env)).toContain("\n    at ");
    }
  });

  it("exits 2 naming an unknown flag", async () => {
    const run = await runScript("sample.ts", { args: ["--resource-grup", "rg"] });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr: "Unknown option --resource-grup. Run with --help to see the options.\n",
    });
  });

  it("exits 2 naming a flag without its value", async () => {
    const run = await runScript("sample.ts", { args: ["--resource-group"] });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr: "Option --resource-group needs a value. Run with --help to see the options.\n",
    });
  });

  it("prints the usage for --help and -h, and exits 0", async () => {
    for (const flag of ["--help", "-h"]) {
      const run = await runScript("sample.ts", { args: [flag, "--fail", "plain"] });
      expect(run, flag).toMatchObject({
        exitCode: 0,
        stdout: "Usage: sample [--resource-group <name>] [--fail usage|azure|plain] [--wait] [--verbose]\n",
        stderr: "",
      });
    }
  });

  it("takes the flags around a --, which `pnpm start -- --json` passes on", async () => {
    const run = await runScript("sample.ts", { args: ["--", "--fail", "usage"] });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr: "Missing resource group: pass --resource-group or set AZURE_RESOURCE_GROUP.\n",
    });
    const help = await runScript("sample.ts", { args: ["--", "--help"] });
    expect(help).toMatchObject({ exitCode: 0, stderr: "" });
    expect(help.stdout).toMatch(/^Usage: sample /);
    // After flags the package script passes itself (`start:local` may), pnpm puts the -- in the middle.
    const inTheMiddle = await runScript("sample.ts", {
      args: ["--resource-group", "rg", "--", "--fail", "plain"],
    });
    expect(inTheMiddle).toMatchObject({ exitCode: 1, stderr: "Something else broke.\n" });
  });

  it("still refuses a positional argument, -- or not", async () => {
    const run = await runScript("sample.ts", { args: ["--fail", "plain", "--", "extra"] });
    expect(run).toMatchObject({
      exitCode: 2,
      stderr:
        "Unexpected argument extra: this sample takes only --options. Run with --help to see the options.\n",
    });
  });
});

// Ctrl-C while a sample runs: "Cancelled." and exit code 130 (128 + SIGINT), no stack trace.
describe.concurrent("a sample interrupted with Ctrl-C", () => {
  it("exits 130 on SIGINT", async () => {
    const run = await runScript("sample.ts", {
      args: ["--wait"],
      onStdout: (chunk, child) => {
        if (chunk.includes("waiting")) child.kill("SIGINT");
      },
    });
    expect(run).toMatchObject({ exitCode: 130, signal: null, stdout: "waiting\n", stderr: "\nCancelled.\n" });
  });
});
