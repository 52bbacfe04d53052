import http from "node:http";
import { startEmulator } from "/work/wt/issue-14/packages/emulator/src/index.ts";
import { launchChromium } from "/work/wt/issue-14/scripts/lib/chromium-browser.ts";

const emulator = await startEmulator({ dashboard: true, home: "/tmp/dash-home" });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const one = () =>
  new Promise<void>((res, rej) => {
    const r = http.request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        path: "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
        agent,
        headers: { host: "169.254.169.254", metadata: "true" },
      },
      (s) => {
        s.resume();
        s.on("end", () => res());
      },
    );
    r.on("error", rej);
    r.end();
  });
let n = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (n++ < 10000) await one();
  }),
);
const browser = await launchChromium();
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  await page.goto(emulator.dashboardUrl!);
  await page.locator("#request-count", { hasText: "(10000)" }).waitFor();
  await page.waitForTimeout(300);
  const out = await page.evaluate(
    `JSON.stringify({ nav: performance.getEntriesByType("navigation").map(e => ({resp: e.responseEnd, dcl: e.domContentLoadedEventEnd, load: e.loadEventEnd})), res: performance.getEntriesByType("resource").map(e => [e.name.replace(/http:..127.0.0.1:\\d+/, ""), Math.round(e.startTime), Math.round(e.responseEnd), e.transferSize]), marks: performance.getEntriesByType("mark").map(m => [m.name, Math.round(m.startTime)]) })`,
  );
  console.log(out);
  await page.close();
}
await browser.close();
await emulator.stop();
