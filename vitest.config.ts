// One vitest run over every package and sample (`pnpm test`), in four projects that can also run apart
// (`pnpm test --project <name>`): in-process unit tests, end-to-end tests, the other clients (Azure CLI, Python)
// and the browser.
import { configDefaults, defineConfig } from "vitest/config";

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

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start processes and emulators; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // The default report, then one plain "N passed, N failed" line for CI logs.
    reporters: ["default", "./scripts/vitest/plain-summary-reporter.ts"],
    // Creates the emulator's CA and sets NODE_EXTRA_CA_CERTS before the worker processes start (they read it at boot).
    globalSetup: ["packages/emulator/test/support/global-setup.ts"],
    projects: [
      // Without isolation the files reuse one worker instead of starting one each.
      { extends: true, test: { name: "in-process", include: IN_PROCESS, isolate: false } },
      // Each file in its own process: msal-node keeps a process's first IMDS client for good (SDK-WIRE-FACTS.md).
      {
        extends: true,
        test: {
          name: "end-to-end",
          include: EVERY_TEST,
          exclude: [...configDefaults.exclude, ...OTHER_CLIENTS, ...BROWSER, ...IN_PROCESS],
        },
      },
      { extends: true, test: { name: "other-clients", include: OTHER_CLIENTS } },
      { extends: true, test: { name: "browser", include: BROWSER } },
    ],
  },
});
