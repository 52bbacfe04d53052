// `pnpm docs:screenshots`: regenerates the dashboard screenshots the READMEs show, from a real workshop story (a sample
// denied, Reader granted from the page, the sample run again) in Debian's chromium. Writes packages/emulator/docs/*.png.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmulator } from "@msi-samples/emulator";
import { REPO_ROOT, runSample } from "@msi-samples/sample-runner";
import { launchChromium } from "./lib/chromium-browser.ts";

const OUT_DIR = path.join(REPO_ROOT, "packages/emulator/docs");
const VIEWPORT = { width: 1440, height: 1000 };

const home = await mkdtemp(path.join(os.tmpdir(), "msi-screenshots-"));
const emulator = await startEmulator({
  scenario: path.join(REPO_ROOT, "shared/scenarios/missing-role.json"),
  dashboard: true,
  home,
});
const browser = await launchChromium();
try {
  await mkdir(OUT_DIR, { recursive: true });
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(emulator.dashboardUrl ?? "");
  await page.locator("#connection", { hasText: "live" }).waitFor();

  const shot = async (name: string, rowSelector: string) => {
    const row = page.locator(rowSelector).first();
    await row.click();
    await page.locator(`#detail .request-detail[data-seq="${await row.getAttribute("data-seq")}"]`).waitFor();
    await page.screenshot({ path: path.join(OUT_DIR, name) });
    console.log(`wrote packages/emulator/docs/${name}`);
  };

  await runSample("list-resource-groups", [], emulator);
  await runSample("keyvault-and-resource-groups", ["--vault-name", "kv-msi-samples"], emulator);
  await shot("dashboard-denied.png", '#requests .request-row[data-service="keyvault"][data-status="403"]');

  await page.locator("#grant-role").selectOption("Reader");
  await page
    .locator("#grant-scope")
    .selectOption(`/subscriptions/${emulator.world.currentVm.subscriptionId}`);
  await page.locator("#grant-button").click();
  await page.locator("#roles li", { hasText: "Reader" }).nth(1).waitFor();
  await runSample("list-resource-groups", [], emulator);
  await shot("dashboard-allowed.png", '#requests .request-row[data-service="arm"][data-status="200"]');
} finally {
  await browser.close();
  await emulator.stop();
  await rm(home, { recursive: true, force: true });
}
