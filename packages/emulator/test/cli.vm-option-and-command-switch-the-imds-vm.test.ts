// `start --vm ID` / `exec --vm ID` make IMDS answer as a VM resource of the world, and `emulator vm` shows or switches
// the VM of the running `start` (through its admin endpoint), refusing IDs that name no VM.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultScenarioWith } from "./arm-fixtures.ts";
import { runCli, spawnCli, waitForOutput } from "./cli.helpers.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";

const APP_VM_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-workshop-data/providers/Microsoft.Compute/virtualMachines/vm-app`;
const APP_PRINCIPAL_ID = "0b6f2d84-7e19-4c3a-9d52-8a1e6f0c3b97";

/** Prints IMDS's compute/name through the proxy the environment names, as any HTTP client behind HTTP_PROXY would. */
const PRINT_VM_NAME = `
const http = require("node:http");
const proxy = new URL(process.env.HTTP_PROXY);
http.get({ host: proxy.hostname, port: proxy.port, headers: { metadata: "true", host: "169.254.169.254" },
  path: "http://169.254.169.254/metadata/instance/compute/name?api-version=2021-02-01&format=text" },
  (response) => { let body = ""; response.on("data", (c) => (body += c)); response.on("end", () => console.log(body)); });
`;

describe("the CLI's --vm option and vm command", () => {
  let dir = "";
  let scenarioFile = "";
  let home = "";
  let child: ChildProcess | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-cli-vm-"));
    home = path.join(dir, "home");
    scenarioFile = path.join(dir, "scenario.json");
    // A second VM that the scenario lists as a plain resource, with its system-assigned identity.
    const scenario = defaultScenarioWith((s) => {
      s.resources = [
        {
          id: APP_VM_ID,
          location: "westus2",
          identity: { type: "SystemAssigned", principalId: APP_PRINCIPAL_ID },
          properties: {
            vmId: "5a0c7e93-2b64-4f18-8d3e-c19b7a4f6e20",
            hardwareProfile: { vmSize: "Standard_D2s_v5" },
          },
        },
      ];
    });
    await writeFile(scenarioFile, JSON.stringify(scenario));
  });
  afterAll(async () => {
    child?.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("start --vm prints the VM it answers as; `vm` shows it, switches to the scenario's VM, refuses unknown VMs", async () => {
    child = spawnCli(["start", "--home", home, "--scenario", scenarioFile, "--vm", APP_VM_ID]);
    const started = await waitForOutput(child, /VM:\s+(.+)\n[\s\S]*Requests:/);
    expect(started[1]).toMatch(
      new RegExp(
        `^IMDS answers as VM 'vm-app' \\(${APP_VM_ID}\\); identities: system-assigned \\(object ID ${APP_PRINCIPAL_ID}, client ID [0-9a-f-]{36}\\)$`,
      ),
    );

    const shown = await runCli(["vm", "--home", home]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(started[1]);

    const back = await runCli(["vm", "--home", home, "--scenario-vm"]);
    expect(back.stdout).toContain("IMDS answers as VM 'vm-msi-samples'");
    expect(back.stdout).toContain("user-assigned 'id-msi-samples'");

    const unknown = await runCli(["vm", "--home", home, APP_VM_ID.replace("vm-app", "vm-nope")]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("There is no virtual machine");
    const malformed = await runCli(["vm", "--home", home, "vm-app"]);
    expect(malformed.status).not.toBe(0);
    expect(malformed.stderr).toContain("not a VM's resource ID");
  });

  it("exec --vm: the command sees the chosen VM in instance metadata", async () => {
    const result = await runCli([
      "exec",
      "--home",
      home,
      "--scenario",
      scenarioFile,
      "--vm",
      APP_VM_ID,
      "--quiet",
      "--",
      process.execPath,
      "-e",
      PRINT_VM_NAME,
    ]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("vm-app");
  });
});
