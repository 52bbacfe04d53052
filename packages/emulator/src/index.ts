// @msi-samples/emulator: a local Azure VM for managed identity (IMDS, ARM and Key Vault) behind a TLS-intercepting proxy.
export { findBuiltInRole } from "./auth/built-in-roles.ts";
export { clientOptionsFor } from "./clients/client-options.ts";
export {
  DEFAULT_SCENARIO_PATH,
  type Emulator,
  type StartEmulatorOptions,
  startEmulator,
} from "./emulator.ts";
export type { RequestLogEntry } from "./log/request-log.ts";
export { VirtualMachineNotFoundError } from "./state/current-vm.ts";
export {
  loadScenarioFile,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from "./state/scenario-schema.ts";
export type { ArmResourceRecord } from "./state/world-state.ts";
export type { ForeignHostPolicy } from "./tls/connect-passthrough.ts";
