// `pnpm bench:dashboard`: how the dashboard copes with a busy emulator, measured in Debian's chromium. The log is
// filled with 10,000 real requests (instance metadata through the proxy), then the page is opened: time until the
// table shows all of them and until a click on a row shows its detail (interactive), and the main thread's long
// tasks meanwhile. Then 500 requests/s arrive for 10 s: frame intervals (p50, p95, max), frames over 50 ms, long
// tasks, and how far the table trails the log at the end. Several runs; the median is the figure to quote.

import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { type Emulator, startEmulator } from "@msi-samples/emulator";
import type { CDPSession } from "playwright-core";
import { launchChromium } from "./lib/chromium-browser.ts";
import { median, percentile } from "./lib/statistics.ts";

const LOGGED = 10_000;
const RATE_PER_SECOND = 500;
const STREAM_SECONDS = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const METADATA_URL = "http://169.254.169.254/metadata/instance?api-version=2021-02-01";

/** One IMDS request through the emulator's proxy (absolute-form, as an SDK behind HTTP_PROXY sends it). */
function metadataRequest(emulator: Emulator, agent: http.Agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        path: METADATA_URL,
        agent,
        headers: { host: "169.254.169.254", metadata: "true", "user-agent": "bench-dashboard/1.0" },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve());
      },
    );
    request.on("error", reject);
    request.end();
  });
}

async function fillLog(emulator: Emulator, count: number): Promise<void> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      await metadataRequest(emulator, agent);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  agent.destroy();
}

/** Sends `rate` requests a second for `seconds`, in 10 ms ticks. */
async function stream(emulator: Emulator, rate: number, seconds: number): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const pending: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) pending.push(metadataRequest(emulator, agent));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  agent.destroy();
  return sent;
}

interface RunFigures {
  /** The first frame showing the newest requests (the page is usable from here). */
  tableMs: number;
  /** The first frame with all of them loaded. */
  historyMs: number;
  interactiveMs: number;
  loadLongTaskMs: number;
  frameP50: number;
  frameP95: number;
  frameMax: number;
  slowFrames: number;
  streamLongTasks: number;
  trailing: number;
  /** Share of the stream's wall time the page's main thread was busy (Chrome's TaskDuration). */
  busyPercent: number;
  /** CPU the page's main thread used during the stream, as a share of one core (Chrome's ThreadTime). */
  cpuPercent: number;
  /** CPU the page's main thread used from navigation to all requests loaded. */
  loadCpuMs: number;
}

/**
 * The page's main thread so far, in seconds (DevTools' Performance.getMetrics): TaskDuration is the wall time of its
 * tasks, ThreadTime the CPU time it used, which other processes on a busy machine inflate far less.
 */
async function mainThreadSeconds(
  cdp: CDPSession,
  metric: "TaskDuration" | "ThreadTime" = "TaskDuration",
): Promise<number> {
  const { metrics } = (await cdp.send("Performance.getMetrics")) as {
    metrics: { name: string; value: number }[];
  };
  return metrics.find((m) => m.name === metric)?.value ?? 0;
}

async function oneRun(): Promise<RunFigures> {
  const home = await mkdtemp(path.join(os.tmpdir(), "msi-bench-dashboard-"));
  const emulator = await startEmulator({ dashboard: true, home });
  const browser = await launchChromium();
  try {
    await fillLog(emulator, LOGGED);
    // Measured in a browser that already runs, as a trainer opens the page: one warm-up page first.
    const warmUp = await browser.newPage();
    await warmUp.goto(emulator.dashboardUrl ?? "");
    await warmUp.locator("#request-count", { hasText: `(${LOGGED})` }).waitFor();
    await warmUp.close();
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    // Long tasks from the very start of the page, before its own scripts run.
    await page.addInitScript(`
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
      }).observe({ type: "longtask", buffered: true });
    `);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Performance.enable");
    const cpuBeforeLoad = await mainThreadSeconds(cdp, "ThreadTime");
    await page.goto(emulator.dashboardUrl ?? "");
    await page.locator("#request-count", { hasText: `(${LOGGED})` }).waitFor();
    // The page marks its first frame with the newest requests, and the one with all of them (ms since navigation).
    const markTime = (name: string) =>
      page.evaluate(
        `new Promise((resolve) => { const find = () => { const m = performance.getEntriesByName("${name}")[0]; m ? resolve(m.startTime) : setTimeout(find, 10); }; find(); })`,
      ) as Promise<number>;
    const tableMs = await markTime("dashboard-ready");
    const historyMs = await markTime("dashboard-history");
    const loadCpuMs = ((await mainThreadSeconds(cdp, "ThreadTime")) - cpuBeforeLoad) * 1000;
    const row = page.locator("#requests .request-row").nth(3);
    const seq = await row.getAttribute("data-seq");
    const clicked = performance.now();
    await row.click();
    await page.locator(`#detail .request-detail[data-seq="${seq}"]`).waitFor();
    const interactiveMs = tableMs + (performance.now() - clicked);
    const loadLongTaskMs = (await page.evaluate("window.longTasks.reduce((sum, d) => sum + d, 0)")) as number;

    // Frame intervals while requests stream in.
    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    await page.evaluate(`
      window.frames_ = [];
      window.recording = true;
      window.longTasks.length = 0;
      let last = performance.now();
      const tick = (now) => {
        window.frames_.push(now - last);
        last = now;
        if (window.recording) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    `);
    const busyBefore = await mainThreadSeconds(cdp);
    const cpuBefore = await mainThreadSeconds(cdp, "ThreadTime");
    const streamStarted = performance.now();
    const sent = await stream(emulator, RATE_PER_SECOND, STREAM_SECONDS);
    const streamSeconds = (performance.now() - streamStarted) / 1000;
    const busyShare = ((await mainThreadSeconds(cdp)) - busyBefore) / streamSeconds;
    const cpuShare = ((await mainThreadSeconds(cdp, "ThreadTime")) - cpuBefore) / streamSeconds;
    const { frames, longTasks, shownLast } = (await page.evaluate(`(() => {
      window.recording = false;
      const first = document.querySelector("#requests .request-row");
      return {
        frames: window.frames_.slice(1),
        longTasks: window.longTasks.length,
        shownLast: Number(first?.getAttribute("data-seq") ?? 0),
      };
    })()`)) as { frames: number[]; longTasks: number; shownLast: number };
    const loggedLast = emulator.requests().at(-1)?.seq ?? 0;
    if (sent < RATE_PER_SECOND * STREAM_SECONDS * 0.95) console.warn(`only ${sent} requests were sent`);
    return {
      tableMs,
      historyMs,
      interactiveMs,
      loadLongTaskMs,
      frameP50: percentile(frames, 50),
      frameP95: percentile(frames, 95),
      frameMax: Math.max(...frames),
      slowFrames: frames.filter((f) => f > 50).length,
      streamLongTasks: longTasks,
      trailing: loggedLast - shownLast,
      busyPercent: busyShare * 100,
      cpuPercent: cpuShare * 100,
      loadCpuMs,
    };
  } finally {
    await browser.close();
    await emulator.stop();
    await rm(home, { recursive: true, force: true });
  }
}

// Figures depend on what else the machine does: print its load with them.
console.log(
  `load average before: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")} on ${os.cpus().length} CPUs`,
);
const runs: RunFigures[] = [];
for (let i = 0; i < RUNS; i++) {
  const figures = await oneRun();
  runs.push(figures);
  console.log(
    `run ${i + 1}: ${JSON.stringify(figures, (_k, v) => (typeof v === "number" ? Math.round(v * 10) / 10 : v))}`,
  );
}
const fmt = (key: keyof RunFigures, unit = "") =>
  `${Math.round(median(runs.map((r) => r[key])) * 10) / 10}${unit}`;
console.log(
  `load average after: ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}`,
);
console.log(`\nDashboard with ${LOGGED} requests logged (median of ${RUNS} runs):`);
console.log(
  `  first frame with the newest requests ${fmt("tableMs", " ms")} after navigation; a clicked row's detail shown by ${fmt("interactiveMs", " ms")}; all ${LOGGED} loaded by ${fmt("historyMs", " ms")}`,
);
console.log(
  `  main-thread long tasks during load: ${fmt("loadLongTaskMs", " ms")} in total; main-thread CPU until all loaded: ${fmt("loadCpuMs", " ms")}`,
);
console.log(`While ${RATE_PER_SECOND} requests/s arrive for ${STREAM_SECONDS} s:`);
console.log(
  `  frame interval p50 ${fmt("frameP50", " ms")}, p95 ${fmt("frameP95", " ms")}, max ${fmt("frameMax", " ms")}; frames over 50 ms: ${fmt("slowFrames")}; long tasks: ${fmt("streamLongTasks")}`,
);
console.log(
  `  page main thread busy ${fmt("busyPercent", "%")} of the time (CPU: ${fmt("cpuPercent", "%")} of a core); the table trails the log by ${fmt("trailing")} request(s) when the stream stops`,
);
