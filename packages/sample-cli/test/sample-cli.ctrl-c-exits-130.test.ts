// Ctrl-C while a sample runs: "Cancelled." and exit code 130 (128 + SIGINT), no stack trace.
import { expect, it } from "vitest";
import { runScript } from "./support/child-process.ts";

it("exits 130 on SIGINT", async () => {
  const run = await runScript("sample.ts", {
    args: ["--wait"],
    onStdout: (chunk, child) => {
      if (chunk.includes("waiting")) child.kill("SIGINT");
    },
  });
  expect(run).toMatchObject({ exitCode: 130, signal: null, stdout: "waiting\n", stderr: "\nCancelled.\n" });
});
