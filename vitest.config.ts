// One vitest run over every package and sample (`pnpm test`), in five projects that can also run apart
// (`pnpm test --project <name>`): in-process unit tests, tests that only start child processes, end-to-end tests
// with an SDK credential in the worker, the other clients (Azure CLI, Python, curl) and the browser.
import { configDefaults, defineConfig } from "vitest/config";
import LongestFirstSequencer from "./scripts/vitest/longest-first-sequencer.ts";

const EVERY_TEST = [
  "packages/*/test/**/*.test.ts",
  "samples/*/test/**/*.test.ts",
  "scripts/test/**/*.test.ts",
];
/** Real programs other than Node's SDK (az, python3): the slowest files, a minute and more. */
const OTHER_CLIENTS = ["packages/emulator/test/other-clients/**/*.test.ts"];
/** A real browser (chromium) driving the workshop dashboard. */
const BROWSER = ["packages/emulator/test/dashboard/**/*.test.ts"];
/** Pure functions and file reads, no emulator and no credential: safe to share one worker without isolation. */
const IN_PROCESS = [
  "packages/emulator/test/template-engine/**/*.test.ts",
  "packages/emulator/test/layering/**/*.test.ts",
  "packages/emulator/test/state/scenario-validation.test.ts",
];

/**
 * Tests that only start child processes (samples, scripts, CLIs) or read files: no Azure SDK credential lives in the
 * worker, so the files can share a worker without isolation (each file still starts and stops its own emulator).
 */
const CHILD_PROCESSES_ONLY = [
  "samples/*/test/**/*.test.ts",
  "scripts/test/**/*.test.ts",
  "packages/sample-cli/test/**/*.test.ts",
  "packages/emulator/test/cli/**/*.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start processes and emulators; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // The default report, then one plain "N passed, N failed" line for CI logs.
    reporters: ["default", "./scripts/vitest/plain-summary-reporter.ts"],
    // The longest files first, whichever project they are in, so that the two cores finish together.
    sequence: { sequencer: LongestFirstSequencer },
    // Creates the emulator's CA and sets NODE_EXTRA_CA_CERTS before the worker processes start (they read it at boot).
    globalSetup: ["packages/emulator/test/support/global-setup.ts"],
    projects: [
      // Without isolation the files reuse one worker instead of starting one each (about 1 s of imports per file).
      { extends: true, test: { name: "in-process", include: IN_PROCESS, isolate: false } },
      { extends: true, test: { name: "child-processes", include: CHILD_PROCESSES_ONLY, isolate: false } },
      // Each file in its own process: msal-node keeps a process's first IMDS client for good (SDK-WIRE-FACTS.md).
      {
        extends: true,
        test: {
          name: "end-to-end",
          include: EVERY_TEST,
          exclude: [
            ...configDefaults.exclude,
            ...OTHER_CLIENTS,
            ...BROWSER,
            ...IN_PROCESS,
            ...CHILD_PROCESSES_ONLY,
          ],
        },
      },
      // az, python3 and curl are child processes too: no isolation needed.
      { extends: true, test: { name: "other-clients", include: OTHER_CLIENTS, isolate: false } },
      { extends: true, test: { name: "browser", include: BROWSER } },
    ],
  },
});
