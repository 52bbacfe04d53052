// `pnpm emulator exec -- node -e "..."`: an unmodified SDK program, configured only by the environment, lists the
// scenario's resource groups; the emulator's own messages stay on stderr, and the command's status is passed on.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT, runCli } from "./cli.helpers.ts";
import { SCENARIO_GROUPS, SUBSCRIPTION_ID } from "./default-scenario.ts";

const PROGRAM = `
const { ManagedIdentityCredential } = require("@azure/identity");
const { ResourceManagementClient } = require("@azure/arm-resources");
(async () => {
  const client = new ResourceManagementClient(new ManagedIdentityCredential(), "${SUBSCRIPTION_ID}");
  for await (const group of client.resourceGroups.list()) console.log(group.name);
})().catch((error) => { console.error(error.message); process.exit(3); });
`;

describe("emulator exec", () => {
  it("runs an unmodified SDK program against the emulator and prints the scenario's groups", async () => {
    // NODE_PATH only lets `node -e` find the SDK packages installed for the emulator package; the program is untouched.
    const result = await runCli(["exec", "--", "node", "-e", PROGRAM], {
      NODE_PATH: path.join(REPO_ROOT, "packages/emulator/node_modules"),
      NO_PROXY: "169.254.169.254",
      IDENTITY_ENDPOINT: "http://127.0.0.1:9/should-be-removed",
    });
    expect(result.stderr).toContain("msi-emulator: proxy http://127.0.0.1:");
    expect(result.status).toBe(0);
    expect(result.stdout.trim().split("\n")).toEqual(SCENARIO_GROUPS);
  });

  it("exits with the command's status", async () => {
    const result = await runCli(["exec", "--quiet", "--", "node", "-e", "process.exit(5)"]);
    expect(result.status).toBe(5);
    expect(result.stdout).toBe("");
  });
});
