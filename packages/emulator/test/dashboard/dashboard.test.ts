// The admin endpoint and the workshop dashboard it serves: its guards, the changes made from it, and the trainer's
// story in a real browser.
import type { ChildProcess } from "node:child_process";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { REPO_ROOT } from "@msi-samples/sample-runner";
import { describeRun, JWT_PATTERN, sampleRunner } from "@msi-samples/sample-runner/test";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumExecutable, launchChromium } from "../../../../scripts/lib/chromium-browser.ts";
import { clientOptionsFor, type Emulator, startEmulator } from "../../src/index.ts";
import { toolRequirement } from "../other-clients/client-processes.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID } from "../support/default-scenario.ts";
import { runCli, spawnCli, waitForOutput } from "../support/emulator-cli.ts";
import { thrownBy } from "../support/sdk-calls.ts";

// The admin endpoint is safe by construction (loopback, Host checked against DNS rebinding, a per-run token on every
// change and on secret values, a page other sites cannot frame) and the dashboard's changes are real ones: a grant is
// what `az role assignment create` does (ARM then allows the call, and it survives a restart with --state), a revoke
// undoes it, reset brings back the scenario, latency mode switches; each request is explained with its decision.
const MISSING_ROLE = path.resolve(import.meta.dirname, "../../../../shared/scenarios/missing-role.json");
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
    const [plain, asked] = await Promise.all([
      runCli(["exec", "--home", home, "--", process.execPath, "-e", ""]),
      runCli(["exec", "--dashboard", "--home", home, "--", process.execPath, "-e", ""]),
    ]);
    expect(plain.stderr).not.toContain("dashboard");
    expect(asked.status).toBe(0);
    expect(asked.stderr).toMatch(/dashboard http:\/\/127\.0\.0\.1:\d+\//);
  });
});

// The trainer's story on the dashboard, in a real browser (Debian's chromium) against real sample processes: a run is
// denied and the page shows why, Reader is granted from the page (persisted like `az role assignment create`), the
// next run succeeds; a request's decoded claims are shown and no token is anywhere in the DOM; the Key Vault challenge
// pair is shown; an IMDS fault switched on from the page shows up as the sample's retries.
// Skipped on a machine without a browser; in CI (CI=true), where .ci/run installs it, a missing one fails.
const requirement = toolRequirement({
  name: "Debian's chromium",
  installed: chromiumExecutable() !== undefined,
  install:
    "apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary (.ci/run installs it as root)",
});

/** Operation names are case-insensitive in Azure; compared in lowercase here. */
const LIST_GROUPS = "microsoft.resources/subscriptions/resourcegroups/read";
const lower = async (locator: { textContent(): Promise<string | null> }) =>
  ((await locator.textContent()) ?? "").toLowerCase();

describe.runIf(requirement.run)("workshop dashboard", () => {
  let emulator: Emulator;
  let browser: Browser;
  let page: Page;
  let stateDir: string;
  let listGroups: ReturnType<typeof sampleRunner>;
  let readSecret: ReturnType<typeof sampleRunner>;

  beforeAll(async () => {
    if (requirement.missing) throw new Error(requirement.missing);
    stateDir = await mkdtemp(path.join(os.tmpdir(), "dashboard-"));
    emulator = await startEmulator({
      scenario: path.join(REPO_ROOT, "shared/scenarios/missing-role.json"),
      statePath: path.join(stateDir, "state.db"),
      dashboard: true,
    });
    listGroups = sampleRunner("list-resource-groups", emulator);
    readSecret = sampleRunner("keyvault-and-resource-groups", emulator);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.goto(emulator.dashboardUrl ?? "");
    await page.locator("#connection", { hasText: "live" }).waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.stop();
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });

  /**
   * The live table's row for the newest such request the emulator logged (found by its seq, so that a row still on
   * its way over server-sent events is waited for, not mistaken for an older one).
   */
  function newestRow(service: string, pathPart: string, status?: number) {
    const entry = emulator
      .requests()
      .filter(
        (e) =>
          e.service === service && e.path.includes(pathPart) && (status === undefined || e.status === status),
      )
      .at(-1);
    return page.locator(`#requests .request-row[data-seq="${entry?.seq ?? -1}"]`);
  }

  async function openRequest(row: ReturnType<typeof newestRow>) {
    await row.click();
    const seq = await row.getAttribute("data-seq");
    const detail = page.locator(`#detail .request-detail[data-seq="${seq}"]`);
    await detail.waitFor();
    return detail;
  }

  it("shows the identity's denied list live with its decision, grants Reader from the page, and the next run lists the groups", async () => {
    await expect.poll(() => page.locator("#vm").textContent()).toContain("vm-msi-samples");
    const denied = await listGroups();
    const deniedRow = newestRow("arm", "/resourcegroups");
    const detail = await openRequest(deniedRow);
    // The decision, not only the status: listing without a role at the subscription is refused whether ARM answers
    // 403 or an empty list.
    const decision = detail.locator(".decision.denied").first();
    expect(await lower(decision)).toContain(`${LIST_GROUPS} at ${SUBSCRIPTION_SCOPE}`);
    expect(await decision.textContent()).toContain("Reader at");
    expect(await decision.textContent()).toContain("does not contain it");
    const caller = detail.locator(".detail-section", { hasText: "Calling identity" });
    expect(await caller.textContent()).toContain(`system-assigned identity`);
    expect(await caller.textContent()).toContain(SYSTEM_PRINCIPAL_ID);
    expect(denied.stdout).not.toContain("rg-workshop-data");

    await page.locator("#grant-role").selectOption("Reader");
    await page.locator("#grant-principal").selectOption(SYSTEM_PRINCIPAL_ID);
    await page.locator("#grant-scope").selectOption(SUBSCRIPTION_SCOPE);
    await page.locator("#grant-button").click();
    const granted = page
      .locator("#roles .scope", { hasText: "subscription" })
      .locator("li", { hasText: "Reader" });
    await granted.waitFor();
    // The same record `az role assignment create` makes (its survival across a restart with --state is checked in
    // "changes from the dashboard" above).
    expect(emulator.world.roleAssignments).toContainEqual(
      expect.objectContaining({
        principalId: SYSTEM_PRINCIPAL_ID,
        principalType: "ServicePrincipal",
        scope: SUBSCRIPTION_SCOPE,
        roleDefinitionId: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      }),
    );

    const allowed = await listGroups();
    expect(allowed.status, describeRun(allowed)).toBe(0);
    expect(allowed.stdout).toContain("rg-workshop-data");
    const allowedDetail = await openRequest(newestRow("arm", "/resourcegroups", 200));
    const allowedDecision = allowedDetail.locator(".decision.allowed").first();
    expect(await lower(allowedDecision)).toContain(
      `'reader' assigned at ${SUBSCRIPTION_SCOPE} grants ${LIST_GROUPS}`,
    );
  });

  it("shows a request's decoded token claims and never a raw token anywhere in the page", async () => {
    const detail = await openRequest(newestRow("arm", "/resourcegroups", 200));
    const claims = detail.locator("table.claims", { hasText: "claims" });
    const text = (await claims.textContent()) ?? "";
    expect(text).toContain(`oid${SYSTEM_PRINCIPAL_ID}`);
    expect(text).toMatch(/audhttps:\/\/management\.azure\.com\/?iss/);
    expect(text).toContain("xms_mirid");
    expect(await detail.locator("table.claims", { hasText: "header" }).textContent()).toContain("RS256");
    // Everything the page holds: its markup, attribute values included (evaluated in the browser).
    // The token IMDS issued is shown by its claims too.
    const issued = await openRequest(newestRow("imds", "/oauth2/token", 200));
    expect(await issued.locator(".detail-section", { hasText: "Token issued" }).textContent()).toContain(
      `oid${SYSTEM_PRINCIPAL_ID}`,
    );
    const html = await page.evaluate("document.documentElement.outerHTML");
    expect(html).not.toMatch(JWT_PATTERN);
  });

  it("shows Key Vault's challenge pair and why the secret read was denied, and hides secret values until asked", async () => {
    const run = await readSecret(["--vault-name", "kv-msi-samples"]);
    expect(run.status, describeRun(run)).toBe(1);
    const detail = await openRequest(newestRow("keyvault", "/secrets/sample-secret", 403));
    expect(await detail.locator("ol.challenge").textContent()).toContain(
      'resource="https://vault.azure.net"',
    );
    expect(await detail.locator("ol.challenge").textContent()).toContain(
      "replayed with a token for https://vault.azure.net",
    );
    expect(await detail.locator(".decision.denied").textContent()).toContain(
      "Microsoft.KeyVault/vaults/secrets/getSecret/action",
    );
    const secret = page.locator('#world [data-secret="sample-secret"]');
    expect(await secret.locator(".secret-value").textContent()).toBe("hidden");
    await secret.getByRole("button", { name: /Show the value/ }).click();
    await expect.poll(() => secret.locator(".secret-value").getAttribute("class")).toContain("revealed");
    expect(await secret.locator(".secret-value").textContent()).not.toBe("hidden");
  });

  it("switches an IMDS fault on from the page and the sample's retries appear in the live log", async () => {
    await page.getByRole("button", { name: "IMDS 500 ×2" }).click();
    await expect.poll(() => page.locator("#active-faults").textContent()).toContain("IMDS 500 ×2");
    const since = emulator.requests().at(-1)?.seq ?? 0;
    const run = await listGroups(["--subscription-id", SUBSCRIPTION_ID]);
    expect(run.status, describeRun(run)).toBe(0);
    const tokenStatuses = emulator
      .requests()
      .filter((e) => e.seq > since && e.service === "imds" && e.path.includes("/oauth2/token"))
      .map((e) => e.status);
    expect(tokenStatuses).toEqual([500, 500, 200]);
    const rows = page.locator('#requests .request-row[data-service="imds"][data-status="500"]');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(2);
  });
});
