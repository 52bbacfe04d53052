// The trainer's story on the dashboard, in a real browser (Debian's chromium) against real sample processes: a run is
// denied and the page shows why, Reader is granted from the page (persisted like `az role assignment create`), the
// next run succeeds; a request's decoded claims are shown and no token is anywhere in the DOM; the Key Vault challenge
// pair is shown; an IMDS fault switched on from the page shows up as the sample's retries.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { REPO_ROOT } from "@msi-samples/sample-runner";
import { describeRun, JWT_PATTERN, sampleRunner } from "@msi-samples/sample-runner/test";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromiumExecutable, launchChromium } from "../../../scripts/lib/chromium-browser.ts";
import { type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID } from "./default-scenario.ts";
import { toolRequirement } from "./other-clients/client-processes.ts";

// Skipped on a machine without a browser; in CI (CI=true), where .ci/run installs it, a missing one fails.
const requirement = toolRequirement({
  name: "Debian's chromium",
  installed: chromiumExecutable() !== undefined,
  install:
    "apt-get install chromium, or set CHROMIUM_PATH to a Chromium binary (.ci/run installs it as root)",
});

const SUBSCRIPTION_SCOPE = `/subscriptions/${SUBSCRIPTION_ID}`;
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
    // admin.guards-and-dashboard-changes.test.ts).
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
