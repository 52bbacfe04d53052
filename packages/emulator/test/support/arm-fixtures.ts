// Shared by the ARM tests: scenario variants built from shared/scenarios/default.json, templates to deploy, and ARM's
// error body as the SDK keeps it.
import { readFileSync } from "node:fs";
import { DEFAULT_SCENARIO_PATH, type ScenarioInput } from "../../src/index.ts";
import { HIDDEN_SUBSCRIPTION_ID } from "./default-scenario.ts";
import { thrownBy } from "./sdk-calls.ts";

/** The default scenario with a change applied (more roles, a resource someone else owns...). */
export function defaultScenarioWith(
  change: (scenario: ScenarioInput & Record<string, unknown>) => void,
): ScenarioInput {
  const scenario = JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, "utf8")) as ScenarioInput &
    Record<string, unknown>;
  delete scenario.$schema;
  change(scenario);
  return scenario;
}

/** A deployment template: `$schema`, `contentVersion` and the sections given. */
export { template as armTemplate } from "../template-engine/deployment-fixtures.ts";

/** Someone else's storage account, in the subscription the default identities cannot see: its name is taken. */
export function hiddenStorageAccount(): NonNullable<ScenarioInput["resources"]>[number] {
  return {
    id: `/subscriptions/${HIDDEN_SUBSCRIPTION_ID}/resourceGroups/rg-finance-prod/providers/Microsoft.Storage/storageAccounts/financeledger`,
    location: "eastus2",
    kind: "StorageV2",
    sku: { name: "Standard_LRS", tier: "Standard" },
    properties: {},
  };
}

/** A storage account as templates declare one. */
export function storageAccountResource(
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    type: "Microsoft.Storage/storageAccounts",
    apiVersion: "2025-06-01",
    name,
    location: "[resourceGroup().location]",
    sku: { name: "Standard_LRS" },
    kind: "StorageV2",
    properties: { minimumTlsVersion: "TLS1_2" },
    ...extra,
  };
}

export interface ArmFailure {
  statusCode?: number;
  code?: string;
  message: string;
  /** The `error` object of ARM's body, as the SDK keeps it (RestError.details.error). */
  error?: {
    code?: string;
    message?: string;
    target?: string;
    details?: unknown[];
    additionalInfo?: unknown[];
  };
}

/** The rejection of an SDK call, with ARM's error body (the TypeSpec-generated clients keep it in `details`). */
export async function armFailureOf(operation: () => Promise<unknown>): Promise<ArmFailure> {
  const error = (await thrownBy(operation)) as {
    statusCode?: number;
    code?: string;
    message: string;
    details?: { error?: ArmFailure["error"] };
  };
  return {
    ...(error.statusCode !== undefined ? { statusCode: error.statusCode } : {}),
    ...(error.code !== undefined ? { code: error.code } : {}),
    message: error.message,
    ...(error.details?.error ? { error: error.details.error } : {}),
  };
}
