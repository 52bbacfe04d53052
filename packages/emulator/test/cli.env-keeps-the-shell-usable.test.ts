// `emulator env` in a real bash with real curl and node: the shell keeps working (a host that is not Azure's is reached
// through the tunnel), the user's own CA still verifies, Azure's other hosts are refused, and `env --unset` puts the
// shell back as it was. Every server is on loopback.

import type { ChildProcess } from "node:child_process";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT, runCli, spawnCli, waitForOutput } from "./cli.helpers.ts";
import { type ForeignHttpsServer, startForeignHttpsServer } from "./foreign-https-server.ts";

const CLI = `"${process.execPath}" --import tsx packages/emulator/src/cli/msi-emulator.ts`;

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
       eval "$(${CLI} env --home "${home}")"
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
      `eval "$(${CLI} env --home "${home}")"
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
       eval "$(${CLI} env --home "${home}")"
       eval "$(${CLI} env --home "${home}")"
       eval "$(${CLI} env --unset)"
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
