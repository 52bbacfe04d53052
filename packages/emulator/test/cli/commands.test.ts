// The emulator's CLI as users run it, and the environment it hands out: `env` in a real shell, `exec` of an
// unmodified SDK program, one `start` per home, and `--vm` / `vm` switching the VM IMDS answers as.
import { type ChildProcess, execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../src/index.ts";
import { defaultScenarioWith } from "../support/arm-fixtures.ts";
import { SCENARIO_GROUPS, SUBSCRIPTION_ID } from "../support/default-scenario.ts";
import { CLI_COMMAND, REPO_ROOT, runCli, spawnCli, waitForOutput } from "../support/emulator-cli.ts";
import { type ForeignHttpsServer, startForeignHttpsServer } from "../support/foreign-https-server.ts";

// `emulator env` in a real bash with real curl and node: the shell keeps working (a host that is not Azure's is reached
// through the tunnel), the user's own CA still verifies, Azure's other hosts are refused, and `env --unset` puts the
// shell back as it was. Every server is on loopback.

/** The test process's environment without the emulator settings vitest's global setup gave it. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env))
    if (
      /^(MSI_EMULATOR_|NODE_EXTRA_CA_CERTS$|SSL_CERT_FILE$|REQUESTS_CA_BUNDLE$|CURL_CA_BUNDLE$|https?_proxy$|no_proxy$)/i.test(
        name,
      )
    )
      delete env[name];
  return env;
}

/** Runs `script` in bash without blocking this process, whose loopback server the script talks to. */
function bash(script: string, env: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile("bash", ["-c", script], { cwd: REPO_ROOT, env, timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ stdout, stderr }),
    );
  });
}

describe("a shell under `emulator env`", () => {
  let dir: string;
  let home: string;
  let target: ForeignHttpsServer;
  let emulator: ChildProcess;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), "msi-env-shell-"));
    home = path.join(dir, "home");
    target = await startForeignHttpsServer();
    emulator = spawnCli(["start", "--home", home]);
    await waitForOutput(emulator, /Requests:/);
  }, 60_000);
  afterAll(async () => {
    emulator?.kill("SIGTERM");
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reaches a host that is not Azure's through the tunnel, trusting the CA the user already had", async () => {
    const result = await bash(
      `set -u
       export NODE_EXTRA_CA_CERTS="${target.caPath}"
       eval "$(${CLI_COMMAND} env --home "${home}")"
       curl -sS --noproxy '' https://localhost:${target.port}/curl-through-tunnel; echo
       node -e "require('https').get('https://localhost:${target.port}/node-direct', r => r.pipe(process.stdout))"; echo`,
      cleanEnvironment(),
    );
    expect(result.stderr).toContain("to undo: eval");
    expect(result.stdout).toBe("hello from /curl-through-tunnel\nhello from /node-direct\n");
    expect(target.received).toEqual(["/curl-through-tunnel", "/node-direct"]);
  });

  it("sends Resource Manager to the emulator, verified by curl, and refuses Azure's sign-in host", async () => {
    const result = await bash(
      `eval "$(${CLI_COMMAND} env --home "${home}")"
       curl -sS -o /dev/null -w '%{http_code}\\n' 'https://management.azure.com/subscriptions?api-version=2022-12-01'
       curl -sS https://login.microsoftonline.com/ || echo "curl exit $?"`,
      cleanEnvironment(),
    );
    // 401: the emulator's ARM asks for a token, over TLS curl verified with CURL_CA_BUNDLE.
    expect(result.stdout).toBe("401\ncurl exit 56\n");
    expect(result.stderr).toMatch(/CONNECT tunnel failed, response 403/);
  });

  it("is undone by `env --unset`, even after two evals, back to the user's own values", async () => {
    const result = await bash(
      `export NODE_EXTRA_CA_CERTS="${target.caPath}" NO_PROXY=corp.example
       eval "$(${CLI_COMMAND} env --home "${home}")"
       eval "$(${CLI_COMMAND} env --home "${home}")"
       eval "$(${CLI_COMMAND} env --unset)"
       echo "NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS NO_PROXY=$NO_PROXY HTTPS_PROXY=\${HTTPS_PROXY-unset} CURL_CA_BUNDLE=\${CURL_CA_BUNDLE-unset}"
       env | grep -c '^MSI_EMULATOR_' || true`,
      cleanEnvironment(),
    );
    expect(result.stdout).toBe(
      `NODE_EXTRA_CA_CERTS=${target.caPath} NO_PROXY=corp.example HTTPS_PROXY=unset CURL_CA_BUNDLE=unset\n0\n`,
    );
  });

  it("prints PowerShell with --shell powershell, its undo included", async () => {
    const result = await runCli(["env", "--home", home, "--shell", "powershell"]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\$env:CURL_CA_BUNDLE = '.+'$/m);
    expect(result.stdout).toMatch(/^\$env:HTTPS_PROXY = 'http:\/\/127\.0\.0\.1:\d+'$/m);
    expect(result.stdout).toContain("env --unset --shell powershell | Invoke-Expression");
  });

  it("says which home it looked in, and how to point at another, when no emulator runs there", async () => {
    const empty = path.join(dir, "no-emulator-here");
    const result = await runCli(["env", "--home", empty]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`No running msi-emulator found in the home ${empty}.`);
    expect(result.stderr).toContain("--home DIR or MSI_EMULATOR_HOME=DIR");
  });
});

// `pnpm emulator exec -- node -e "..."`: an unmodified SDK program, configured only by the environment, lists the
// scenario's resource groups; the emulator's own messages stay on stderr, and the command's status is passed on.
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

// `start` records itself in its home's runtime.json, which `env`, `log` and `vm` read. A second `start` with a home
// that a running emulator uses refuses before it touches anything, naming that emulator's pid, how to stop it and how
// to use another home; a runtime.json left behind by an emulator that is gone (killed, or its pid now another
// process's) is replaced.
interface Started {
  child: ChildProcess;
  pid: number;
  port: number;
}

describe("one running `start` per home", () => {
  const children: ChildProcess[] = [];
  let dir = "";
  let home = "";
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-one-per-home-"));
    home = path.join(dir, "home");
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGKILL");
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<Started> {
    const child = spawnCli(["start", "--home", home]);
    children.push(child);
    const match = await waitForOutput(
      child,
      /running \(pid (\d+)\)[\s\S]*proxy:\s+http:\/\/127\.0\.0\.1:(\d+)[\s\S]*Requests:/,
    );
    return { child, pid: Number(match[1]), port: Number(match[2]) };
  }

  async function kill(started: Started): Promise<void> {
    const exited = new Promise((resolve) => started.child.once("exit", resolve));
    started.child.kill("SIGKILL");
    await exited;
  }

  const runtimeFile = async () =>
    JSON.parse(await readFile(path.join(home, "runtime.json"), "utf8")) as Record<string, unknown>;

  const proxyOfEnv = async () => {
    const env = await runCli(["env", "--home", home]);
    expect(env.status, env.stderr).toBe(0);
    return /export HTTPS_PROXY='(.+)'/.exec(env.stdout)?.[1];
  };

  let first: Started;

  it("refuses a second start with the same home, saying which emulator has it and what to do", async () => {
    first = await start();
    expect(first.pid).toBe(first.child.pid);

    const statePath = path.join(dir, "never-written.json");
    // Both refusals change nothing, so they run side by side.
    const [second, throughEnvironment] = await Promise.all([
      runCli(["start", "--home", home, "--state", statePath]),
      runCli(["start"], { MSI_EMULATOR_HOME: home }),
    ]);
    expect(second.status).toBe(1);
    expect(second.stdout).toBe("");
    expect(second.stderr).toContain(
      `msi-emulator: Another msi-emulator is already running with the home ${home} (pid ${first.pid}, proxy http://127.0.0.1:${first.port}). Stop it first (Ctrl+C where it runs, or \`kill ${first.pid}\`), or give this one another home: --home DIR or MSI_EMULATOR_HOME=DIR.\n`,
    );
    // Refused before anything was done: no state file, and the running one is still the one `env` finds.
    expect(existsSync(statePath)).toBe(false);
    expect(await runtimeFile()).toMatchObject({ pid: first.pid, proxyPort: first.port });
    expect(await proxyOfEnv()).toBe(`http://127.0.0.1:${first.port}`);

    expect(throughEnvironment.status).toBe(1);
    expect(throughEnvironment.stderr).toContain(`already running with the home ${home} (pid ${first.pid},`);
  });

  it("replaces the runtime.json of an emulator that was killed", async () => {
    await kill(first);
    expect(await runtimeFile()).toMatchObject({ pid: first.pid });

    const next = await start();
    expect(await runtimeFile()).toMatchObject({ pid: next.pid, proxyPort: next.port });
    expect(await proxyOfEnv()).toBe(`http://127.0.0.1:${next.port}`);
    await kill(next);
  });

  it("replaces a runtime.json whose pid now belongs to a process that is no emulator", async () => {
    // This test's own process is alive, and the admin endpoint the file names is gone: the pid was reused.
    await writeFile(
      path.join(home, "runtime.json"),
      JSON.stringify({ ...(await runtimeFile()), pid: process.pid }),
    );

    const again = await start();
    expect(await runtimeFile()).toMatchObject({ pid: again.pid, proxyPort: again.port });
  });
});

// `start --vm ID` / `exec --vm ID` make IMDS answer as a VM resource of the world, and `emulator vm` shows or switches
// the VM of the running `start` (through its admin endpoint), refusing IDs that name no VM.
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

    // Showing and the two refusals change nothing: they run side by side, before the switch.
    const [shown, unknown, malformed] = await Promise.all([
      runCli(["vm", "--home", home]),
      runCli(["vm", "--home", home, APP_VM_ID.replace("vm-app", "vm-nope")]),
      runCli(["vm", "--home", home, "vm-app"]),
    ]);
    expect(shown.status, shown.stderr).toBe(0);
    expect(shown.stdout.trim()).toBe(started[1]);

    const back = await runCli(["vm", "--home", home, "--scenario-vm"]);
    expect(back.stdout).toContain("IMDS answers as VM 'vm-msi-samples'");
    expect(back.stdout).toContain("user-assigned 'id-msi-samples'");

    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("There is no virtual machine");
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

// The environment the emulator hands out: proxies in both cases, a NO_PROXY that never bypasses an emulated host,
// trust for Node (NODE_EXTRA_CA_CERTS) and for Python / the Azure CLI (a bundle of system CAs plus the emulator's CA).
describe("emulator environment", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it("sets every proxy variable, in both cases, to the loopback proxy", () => {
    for (const name of ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy"]) {
      expect(emulator.env[name]).toBe(`http://127.0.0.1:${emulator.port}`);
    }
    expect(emulator.proxyUrl).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.env).not.toHaveProperty("AZURE_POD_IDENTITY_AUTHORITY_HOST");
    expect(emulator.unsetEnv).toContain("AZURE_POD_IDENTITY_AUTHORITY_HOST");
  });

  it("never lets NO_PROXY bypass IMDS, ARM or Key Vault", () => {
    for (const name of ["NO_PROXY", "no_proxy"]) {
      const entries = (emulator.env[name] ?? "").split(",");
      for (const host of [
        "169.254.169.254",
        "management.azure.com",
        ".vault.azure.net",
        ".azure.net",
        ".azure.com",
      ]) {
        expect(entries).not.toContain(host);
      }
    }
  });

  it("trusts the emulator's CA for Node, and for Python with the system CAs kept", async () => {
    expect(emulator.env.NODE_EXTRA_CA_CERTS).toBe(emulator.caCertPath);
    expect(emulator.env.REQUESTS_CA_BUNDLE).toBe(emulator.caBundlePath);
    expect(emulator.env.SSL_CERT_FILE).toBe(emulator.caBundlePath);
    const ca = await readFile(emulator.caCertPath, "utf8");
    const bundle = await readFile(emulator.caBundlePath, "utf8");
    expect(bundle).toContain(ca.trim());
    expect(bundle.match(/BEGIN CERTIFICATE/g)?.length ?? 0).toBeGreaterThan(10);
  });

  it("keeps the CA key private (mode 0600)", async () => {
    const key = await stat(path.join(path.dirname(emulator.caCertPath), "ca-key.pem"));
    expect(key.mode & 0o777).toBe(0o600);
  });

  it("binds to loopback only", async () => {
    expect(new URL(emulator.adminUrl).hostname).toBe("127.0.0.1");
    const health = (await (await fetch(`${emulator.adminUrl}/health`)).json()) as { status: string };
    expect(health.status).toBe("ok");
  });
});
