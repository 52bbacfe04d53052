// The registry of ARM resource providers the emulator serves. Add a provider module here (part 2: deployments,
// storage accounts, generic resources) and the gateway routes, authenticates and logs it like the others.
import type { ArmProvider } from "./arm-request.ts";
import { operationsProvider } from "./operations.ts";
import { resourceGroupsProvider } from "./resource-groups.ts";
import { roleAssignmentsProvider } from "./role-assignments.ts";
import { subscriptionsProvider } from "./subscriptions.ts";

export const ARM_PROVIDERS: readonly ArmProvider[] = [
  subscriptionsProvider,
  resourceGroupsProvider,
  roleAssignmentsProvider,
  operationsProvider,
];
