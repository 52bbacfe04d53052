// One vitest run over every package and sample (`pnpm test`).
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["packages/*/test/**/*.test.ts", "samples/*/test/**/*.test.ts", "scripts/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests start processes and emulators; two cores, so keep parallelism modest.
    maxWorkers: 2,
  },
});
