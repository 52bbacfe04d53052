// @msi-samples/emulator: a local Azure VM for managed identity (IMDS, ARM and Key Vault) behind a TLS-intercepting proxy.
export type { ArmCaller, ArmMethod, ArmProvider, ArmRequest, ArmRoute } from "./arm/arm-request.ts";
export { parseArmBody } from "./arm/arm-request.ts";
export type {
  OperationOutcome,
  OperationRecord,
  StartOperationOptions,
} from "./arm/long-running-operations.ts";
export { LongRunningOperations } from "./arm/long-running-operations.ts";
export { pageOf } from "./arm/paging.ts";
export { BUILT_IN_ROLES, findBuiltInRole, type RoleDefinition } from "./auth/built-in-roles.ts";
export { RbacEvaluator, type RoleAssignmentRecord } from "./auth/rbac.ts";
export type { AccessTokenClaims } from "./auth/tokens.ts";
export { clientOptionsFor, type EmulatorProxyClientOptions } from "./client-options.ts";
export type { EmulatorContext } from "./emulated-services.ts";
export {
  DEFAULT_SCENARIO_PATH,
  type Emulator,
  type StartEmulatorOptions,
  startEmulator,
} from "./emulator.ts";
export { CONFLICTING_ENV, EMULATOR_NO_PROXY } from "./environment.ts";
export { ArmError, armErrors } from "./errors/arm.ts";
export { ImdsError, imdsErrors } from "./errors/imds.ts";
export type { Faults, FaultsInput } from "./faults/faults.ts";
export { EmulatorAlreadyRunningError, resolveHome } from "./home.ts";
export type { RequestLogEntry } from "./log/request-log.ts";
export type { EmulatedService, HandledRequest, ServiceExchange } from "./services.ts";
export { type CurrentVm, VirtualMachineNotFoundError } from "./state/current-vm.ts";
export {
  loadScenarioFile,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from "./state/scenario-schema.ts";
export type {
  ArmResourceRecord,
  ManagedIdentity,
  ResourceGroupRecord,
  WorldSnapshot,
  WorldState,
} from "./state/world-state.ts";
export type { ForeignHostPolicy } from "./tls/connect-passthrough.ts";
