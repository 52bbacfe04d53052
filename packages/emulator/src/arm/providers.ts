// The registry of ARM resource providers the emulator serves. Typed providers declare exact routes, which the router
// prefers to the generic-resources wildcard; the gateway routes, authenticates and logs them all alike.
import type { ArmProvider } from "./arm-request.ts";
import { deletedVaultsProvider } from "./deleted-vaults.ts";
import { deploymentOperationsProvider } from "./deployments/deployment-operations.ts";
import { deploymentsProvider } from "./deployments/deployments.ts";
import { genericResourcesProvider } from "./generic-resources.ts";
import { keyVaultsProvider } from "./key-vaults.ts";
import { operationsProvider } from "./operations.ts";
import { resourceGroupsProvider } from "./resource-groups.ts";
import { resourceProvidersProvider } from "./resource-providers.ts";
import { roleAssignmentsProvider } from "./role-assignments.ts";
import { storageAccountsProvider } from "./storage-accounts.ts";
import { subscriptionsProvider } from "./subscriptions.ts";

export const ARM_PROVIDERS: readonly ArmProvider[] = [
  subscriptionsProvider,
  resourceGroupsProvider,
  roleAssignmentsProvider,
  operationsProvider,
  deploymentsProvider,
  deploymentOperationsProvider,
  storageAccountsProvider,
  keyVaultsProvider,
  deletedVaultsProvider,
  resourceProvidersProvider,
  genericResourcesProvider,
];
