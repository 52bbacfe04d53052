// The admin endpoint is safe by construction (loopback, Host checked against DNS rebinding, a per-run token on every
// change and on secret values, a page other sites cannot frame) and the dashboard's changes are real ones: a grant is
// what `az role assignment create` does (ARM then allows the call, and it survives a restart with --state), a revoke
// undoes it, reset brings back the scenario, latency mode switches; each request is explained with its decision.

import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { runCli, spawnCli, waitForOutput } from "./cli.helpers.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID } from "./default-scenario.ts";
import { thrownBy } from "./sdk-calls.ts";

const MISSING_ROLE = path.resolve(import.meta.dirname, "../../../shared/scenarios/missing-role.json");
const SUBSCRIPTION_SCOPE = `/subscriptions/${SUBSCRIPTION_ID}`;

/** A request with a Host header of our choosing (fetch does not let one set it). */
function rawRequest(
  url: string,
  options: { method?: string; host?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; text: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: options.method ?? "GET",
        headers: { host: options.host ?? target.host, ...options.headers },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
        });
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text }),
        );
      },
    );
    request.on("error", reject);
    request.end();
  });
}

describe("the admin endpoint's guards", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ dashboard: true });
  });
  afterAll(() => emulator?.stop());

  it("refuses a Host header that does not name this loopback server (DNS rebinding)", async () => {
    const rebound = await rawRequest(`${emulator.adminUrl}/state`, { host: "attacker.example:80" });
    expect(rebound.status).toBe(403);
    expect(rebound.text).toContain("answers only for Host");
    const page = await rawRequest(`${emulator.adminUrl}/`, {
      host: `attacker.example:${new URL(emulator.adminUrl).port}`,
    });
    expect(page.status).toBe(403);
    const localhost = await rawRequest(`${emulator.adminUrl}/health`, {
      host: `localhost:${new URL(emulator.adminUrl).port}`,
    });
    expect(localhost.status).toBe(200);
  });

  it("refuses every change without this run's token, and secret values too", async () => {
    const put = (headers: Record<string, string>) =>
      fetch(`${emulator.adminUrl}/faults`, {
        method: "PUT",
        headers,
        body: JSON.stringify({ latencyMs: 1 }),
      });
    expect((await put({})).status).toBe(403);
    expect((await put({ "x-msi-emulator-token": "guess" })).status).toBe(403);
    expect((await put({ "x-msi-emulator-token": emulator.adminToken })).status).toBe(200);
    for (const [method, route] of [
      ["DELETE", "/faults"],
      ["DELETE", "/requests"],
      ["POST", "/reset"],
      ["POST", "/role-assignments"],
      ["PUT", "/latency"],
      ["DELETE", "/vm"],
    ] as const)
      expect((await fetch(`${emulator.adminUrl}${route}`, { method })).status, `${method} ${route}`).toBe(
        403,
      );
    const secretUrl = `${emulator.adminUrl}/secret-value?vault=kv-msi-samples&name=sample-secret`;
    expect((await fetch(secretUrl)).status).toBe(403);
    const revealed = await fetch(secretUrl, { headers: { "x-msi-emulator-token": emulator.adminToken } });
    expect(revealed.status).toBe(200);
    expect(((await revealed.json()) as { value: string }).value.length).toBeGreaterThan(0);
  });

  it("serves the page with its token, a strict CSP and no framing; the overview carries no secret value", async () => {
    const page = await fetch(`${emulator.adminUrl}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`content="${emulator.adminToken}"`);
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page.headers.get("x-frame-options")).toBe("DENY");
    expect((await fetch(`${emulator.adminUrl}/dashboard/../admin/admin-guard.ts`)).status).toBe(404);
    const secret = (await (
      await fetch(`${emulator.adminUrl}/secret-value?vault=kv-msi-samples&name=sample-secret`, {
        headers: { "x-msi-emulator-token": emulator.adminToken },
      })
    ).json()) as { value: string };
    const overview = await (await fetch(`${emulator.adminUrl}/overview`)).text();
    expect(overview).toContain("sample-secret");
    expect(overview).not.toContain(secret.value);
  });

  it("does not serve the page unless the dashboard was asked for (exec's default)", async () => {
    const plain = await startEmulator();
    try {
      expect(plain.dashboardUrl).toBeUndefined();
      expect((await fetch(`${plain.adminUrl}/`)).status).toBe(404);
    } finally {
      await plain.stop();
    }
  });
});

describe("changes from the dashboard", () => {
  let stateDir: string;
  let emulator: Emulator;
  const admin = (method: string, route: string, body?: unknown) =>
    fetch(`${emulator.adminUrl}${route}`, {
      method,
      headers: { "content-type": "application/json", "x-msi-emulator-token": emulator.adminToken },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  // Reading one group the identity has no role on: 403 in Azure (a list would only come back shorter).
  const readGroup = () => {
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, clientOptionsFor(emulator));
    return client.resourceGroups.get("rg-workshop-data");
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(path.join(os.tmpdir(), "admin-"));
    emulator = await startEmulator({ scenario: MISSING_ROLE, statePath: path.join(stateDir, "state.db") });
  });
  afterAll(async () => {
    await emulator?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it("grants like az role assignment create: ARM then allows the call, and the grant survives a restart", async () => {
    expect(await thrownBy(readGroup)).toMatchObject({ statusCode: 403 });
    const granted = await admin("POST", "/role-assignments", {
      principalId: SYSTEM_PRINCIPAL_ID,
      role: "Reader",
      scope: SUBSCRIPTION_SCOPE,
    });
    expect(granted.status).toBe(201);
    const again = await admin("POST", "/role-assignments", {
      principalId: SYSTEM_PRINCIPAL_ID,
      role: "Reader",
      scope: SUBSCRIPTION_SCOPE,
    });
    expect(again.status).toBe(409);
    await readGroup();

    const explained = (await (
      await fetch(`${emulator.adminUrl}/requests/${emulator.requests().at(-1)?.seq}`)
    ).json()) as { decisions: { allowed: boolean; grantedBy?: { roleName: string; scope: string } }[] };
    expect(explained.decisions[0]).toMatchObject({
      allowed: true,
      grantedBy: { roleName: "Reader", scope: SUBSCRIPTION_SCOPE },
    });

    const statePath = path.join(stateDir, "state.db");
    await emulator.stop();
    emulator = await startEmulator({ scenario: MISSING_ROLE, statePath });
    await readGroup();
  });

  it("revokes, and refuses roles and scopes that do not exist with ARM's errors", async () => {
    const { roleAssignments } = (await (await fetch(`${emulator.adminUrl}/overview`)).json()) as {
      roleAssignments: { name: string; roleName: string; scope: string }[];
    };
    const reader = roleAssignments.find((a) => a.roleName === "Reader" && a.scope === SUBSCRIPTION_SCOPE);
    expect(reader).toBeDefined();
    expect((await admin("DELETE", `/role-assignments/${reader?.name}`)).status).toBe(200);
    expect(await thrownBy(readGroup)).toMatchObject({ statusCode: 403 });
    const noRole = await admin("POST", "/role-assignments", {
      principalId: SYSTEM_PRINCIPAL_ID,
      role: "Chief Wizard",
      scope: SUBSCRIPTION_SCOPE,
    });
    expect(await noRole.json()).toMatchObject({ error: { code: "RoleDefinitionDoesNotExist" } });
    const noGroup = await admin("POST", "/role-assignments", {
      principalId: SYSTEM_PRINCIPAL_ID,
      role: "Reader",
      scope: `${SUBSCRIPTION_SCOPE}/resourceGroups/rg-nowhere`,
    });
    expect(noGroup.status).toBe(404);
    expect(await noGroup.json()).toMatchObject({ error: { code: "ResourceGroupNotFound" } });
    const grantReader = () =>
      admin("POST", "/role-assignments", {
        principalId: SYSTEM_PRINCIPAL_ID,
        role: "Reader",
        scope: SUBSCRIPTION_SCOPE,
      });
    expect((await grantReader()).status).toBe(201);
    const twice = await grantReader();
    expect(twice.status).toBe(409);
    expect(await twice.json()).toMatchObject({ error: { code: "RoleAssignmentExists" } });
  });

  it("resets the world to the scenario and switches the latency mode", async () => {
    await admin("POST", "/role-assignments", {
      principalId: SYSTEM_PRINCIPAL_ID,
      role: "Contributor",
      scope: SUBSCRIPTION_SCOPE,
    });
    const credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, clientOptionsFor(emulator));
    await client.resourceGroups.createOrUpdate("rg-made-in-class", { location: "westus2" });
    expect((await admin("PUT", "/latency", { mode: "realistic" })).status).toBe(200);
    expect(((await (await fetch(`${emulator.adminUrl}/latency`)).json()) as { mode: string }).mode).toBe(
      "realistic",
    );

    expect((await admin("POST", "/reset")).status).toBe(200);
    expect(emulator.world.getResourceGroup(SUBSCRIPTION_ID, "rg-made-in-class")).toBeUndefined();
    expect(emulator.world.roleAssignments.some((a) => a.scope === SUBSCRIPTION_SCOPE)).toBe(false);
    expect(((await (await fetch(`${emulator.adminUrl}/latency`)).json()) as { mode: string }).mode).toBe(
      "instant",
    );
    expect(await thrownBy(readGroup)).toMatchObject({ statusCode: 403 });
  });
});

describe("the CLI and the dashboard", () => {
  let home: string;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    home = await mkdtemp(path.join(os.tmpdir(), "dashboard-cli-"));
  });
  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    await Promise.all(children.map((child) => new Promise((resolve) => child.once("exit", resolve))));
    await rm(home, { recursive: true, force: true });
  });

  it("start prints the dashboard's URL and keeps the admin token in an owner-only runtime.json", async () => {
    const child = spawnCli(["start", "--home", home]);
    children.push(child);
    const [, url = ""] = await waitForOutput(child, /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/);
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Who may do what");
    const runtimeFile = path.join(home, "runtime.json");
    expect((await stat(runtimeFile)).mode & 0o777).toBe(0o600);
    const runtime = JSON.parse(await readFile(runtimeFile, "utf8")) as {
      adminToken: string;
      dashboardUrl: string;
    };
    expect(runtime.dashboardUrl).toBe(url);
    const html = await (await fetch(url)).text();
    expect(html).toContain(`content="${runtime.adminToken}"`);
  });

  it("exec serves no dashboard unless asked, and prints its URL on stderr when asked", async () => {
    const plain = await runCli(["exec", "--home", home, "--", process.execPath, "-e", ""]);
    expect(plain.stderr).not.toContain("dashboard");
    const asked = await runCli(["exec", "--dashboard", "--home", home, "--", process.execPath, "-e", ""]);
    expect(asked.status).toBe(0);
    expect(asked.stderr).toMatch(/dashboard http:\/\/127\.0\.0\.1:\d+\//);
  });
});
