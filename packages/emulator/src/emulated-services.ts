// The services the emulator runs, one per imitated Azure endpoint. Key Vault's servesHost(h) is true for
// "<vault>.vault.azure.net" only while that vault exists in the world (then CONNECT succeeds).

import { createArmService } from "./arm/arm-service.ts";
import type { LongRunningOperations } from "./arm/long-running-operations.ts";
import { ARM_PROVIDERS } from "./arm/providers.ts";
import type { RbacEvaluator } from "./auth/rbac.ts";
import type { TokenService } from "./auth/tokens.ts";
import type { FaultController } from "./faults/faults.ts";
import { createImdsService } from "./imds/imds-service.ts";
import { createKeyVaultService } from "./keyvault/keyvault-service.ts";
import type { EmulatedService } from "./services.ts";
import type { WorldState } from "./state/world-state.ts";

/** Everything a service module may need; shared by all of them. */
export interface EmulatorContext {
  world: WorldState;
  tokens: TokenService;
  rbac: RbacEvaluator;
  faults: FaultController;
  operations: LongRunningOperations;
  latency: () => "instant" | "realistic";
  tokenLifetimeSeconds: () => number;
  /** Default page size of ARM list operations. */
  pageSize: number;
}

export function createEmulatedServices(context: EmulatorContext): EmulatedService[] {
  return [
    createImdsService({
      world: () => context.world,
      tokens: context.tokens,
      faults: context.faults,
      tokenLifetimeSeconds: context.tokenLifetimeSeconds,
    }),
    createArmService({
      world: context.world,
      tokens: context.tokens,
      rbac: context.rbac,
      faults: context.faults,
      operations: context.operations,
      providers: ARM_PROVIDERS,
      latency: context.latency,
      pageSize: context.pageSize,
    }),
    createKeyVaultService({ world: context.world, tokens: context.tokens, rbac: context.rbac }),
  ];
}
