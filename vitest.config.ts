// One vitest run over every package and sample (`pnpm test`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "samples/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start processes and emulators; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // The default report, then one plain "N passed, N failed" line for CI logs.
    reporters: ["default", "./scripts/vitest/plain-summary-reporter.ts"],
    // Creates the emulator's CA and sets NODE_EXTRA_CA_CERTS before the worker processes start (they read it at boot).
    globalSetup: ["packages/emulator/test/global-setup.ts"],
  },
});
