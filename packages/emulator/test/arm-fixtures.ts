// Shared by the part-2 ARM tests: scenario variants built from shared/scenarios/default.json, and a template builder.
import { readFileSync } from "node:fs";
import { DEFAULT_SCENARIO_PATH, type ScenarioInput } from "../src/index.ts";

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

export const TEMPLATE_SCHEMA =
  "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** A deployment template: `$schema`, `contentVersion` and the sections given. */
export function armTemplate(sections: Record<string, unknown>): Record<string, unknown> {
  return { $schema: TEMPLATE_SCHEMA, contentVersion: "1.0.0.0", resources: [], ...sections };
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
  try {
    await operation();
  } catch (caught) {
    const error = caught as {
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
  throw new Error("expected the operation to fail");
}
