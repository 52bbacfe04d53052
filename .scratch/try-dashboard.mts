import { startEmulator } from "/work/wt/issue-14/packages/emulator/src/index.ts";
import { launchChromium } from "/work/wt/issue-14/scripts/lib/chromium-browser.ts";
import { runSample } from "/work/wt/issue-14/scripts/lib/run-sample.ts";

const emulator = await startEmulator({
  scenario: "/work/wt/issue-14/shared/scenarios/missing-role.json",
  dashboard: true,
  home: "/tmp/dash-home",
});
console.log(emulator.dashboardUrl);
const browser = await launchChromium();
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
page.on("console", (m) => console.log("console:", m.text()));
page.on("pageerror", (e) => console.log("pageerror:", e.message));
await page.goto(emulator.dashboardUrl!);
let run = await runSample("list-resource-groups", [], emulator);
console.log(run.status, run.stdout.slice(0, 400), run.stderr.slice(0, 600));
run = await runSample("keyvault-and-resource-groups", ["--vault-name", "kv-msi-samples"], emulator);
console.log(run.status, run.stdout.slice(0, 400), run.stderr.slice(0, 600));
await page.waitForTimeout(500);
await page.locator('#requests .request-row[data-status="403"]').first().click();
await page.waitForTimeout(500);
await page.screenshot({ path: "/tmp/dash1.png", fullPage: true });
await page.locator('#requests .request-row[data-service="keyvault"][data-status="401"]').first().click();
await page.waitForTimeout(500);
await page.screenshot({ path: "/tmp/dash2.png", fullPage: true });
await browser.close();
await emulator.stop();
