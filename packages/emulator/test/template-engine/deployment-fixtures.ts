// Shared fixtures for the template engine tests: a deployment context, template builders, error matchers.

import { expect } from "vitest";
import {
  type DeploymentContext,
  type PreparedDeployment,
  prepareDeployment,
  type RuntimeCallbacks,
  TemplateError,
  type TemplateValue,
} from "../../src/template-engine/index.ts";

export const SUBSCRIPTION_ID = "00000000-0000-0000-0000-000000000000";
export const TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const GROUP_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/myrg`;

export const context: DeploymentContext = {
  subscriptionId: SUBSCRIPTION_ID,
  subscriptionDisplayName: "Emulator subscription",
  tenantId: TENANT_ID,
  resourceGroup: { name: "myrg", location: "southcentralus", tags: { env: "test" } },
  deploymentName: "mydeployment",
  mode: "Incremental",
};

const SCHEMA = "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/** A deployment template: `$schema`, `contentVersion` and the sections given. */
export function template(sections: Record<string, unknown> = {}): Record<string, unknown> {
  return { $schema: SCHEMA, contentVersion: "1.0.0.0", resources: [], ...sections };
}

export function prepare(templateValue: unknown, parameters?: Record<string, unknown>): PreparedDeployment {
  return prepareDeployment({ template: templateValue, parameters, context });
}

/**
 * Evaluates one template string as the value of a variable (so errors come back as ARM reports a
 * variable's: "The template variable 'result' is not valid: <reason>").
 */
export function evaluate(expression: string, sections: Record<string, unknown> = {}): TemplateValue {
  const prepared = prepare(template({ ...sections, variables: { result: expression } }));
  return prepared.variables.result as TemplateValue;
}

export const noRuntime: RuntimeCallbacks = {
  reference: (id) => {
    throw new Error(`unexpected reference(${id})`);
  },
};

/** Runs `action`, expects a TemplateError, and returns it for further checks. */
export function templateErrorOf(action: () => unknown): TemplateError {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(TemplateError);
    return error as TemplateError;
  }
  throw new Error("expected a TemplateError, but nothing was thrown");
}

export function storageAccount(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: "Microsoft.Storage/storageAccounts",
    apiVersion: "2023-05-01",
    name,
    location: "[resourceGroup().location]",
    sku: { name: "Standard_LRS" },
    kind: "StorageV2",
    ...extra,
  };
}
