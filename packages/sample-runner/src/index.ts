// Running a sample against an emulator the way `pnpm demo`, `pnpm bench` and the tests do, and counting the requests
// the emulator saw during that run.
export * from "./request-tally.ts";
export * from "./run-sample.ts";
