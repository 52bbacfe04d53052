// Preloaded by each sample's `start` script (`node --import @msi-samples/sample-cli/compile-cache src/index.ts`):
// turns on Node's compile cache before the sample's modules load, so that a second run skips compiling the SDK
// again (about a third less CPU at start-up). `node src/index.ts` alone runs the same sample, only slower to start.
import module from "node:module";

module.enableCompileCache?.();
