// The samples' end-to-end test harness (vitest): a sample run against an emulator, with the assertions every sample's
// tests share.
export * from "./sample-end-to-end.ts";
export * from "./user-assigned-selectors.ts";
