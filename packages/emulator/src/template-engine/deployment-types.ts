// The public shapes of the template engine: what a deployment is given and what it gets back.

import type { TemplateObject, TemplateValue } from "./template-values.ts";

/** Where and as whom a template is deployed (resource group scope). */
export interface DeploymentContext {
  subscriptionId: string;
  subscriptionDisplayName?: string;
  tenantId: string;
  tenantDisplayName?: string;
  tenantCountryCode?: string;
  resourceGroup: {
    /** Defaults to /subscriptions/{subscriptionId}/resourceGroups/{name}. */
    id?: string;
    name: string;
    location: string;
    tags?: Record<string, string>;
    managedBy?: string;
    properties?: TemplateObject;
  };
  deploymentName: string;
  mode?: "Incremental" | "Complete";
  /** Set when the template came from properties.templateLink; deployment() then shows it. */
  templateLink?: { uri: string; contentVersion?: string };
}

/**
 * How the engine reaches resources while a deployment runs. Synchronous on purpose: the emulator's
 * state is in memory, and a synchronous evaluator stays simple. Throw to fail the calling resource;
 * a TemplateError is passed through as is, any other error becomes its message.
 */
export interface RuntimeCallbacks {
  /**
   * reference(): the resource's `properties` (full = false) or its whole body with `properties`,
   * `location`, `sku`... (full = true, reference(id, apiVersion, 'Full')).
   */
  reference(resourceId: string, apiVersion: string | undefined, full: boolean): TemplateValue;
  /** listKeys(resourceId, apiVersion). */
  listKeys?(resourceId: string, apiVersion: string): TemplateValue;
  /** Any other list* function (listSecrets, listAccountSas...): name is the function as written. */
  list?(
    functionName: string,
    resourceId: string,
    apiVersion: string,
    body: TemplateValue | undefined,
  ): TemplateValue;
}

/** Resolves a Key Vault parameter reference ({ reference: { keyVault: { id }, secretName, secretVersion? } }). */
export type KeyVaultSecretResolver = (
  vaultId: string,
  secretName: string,
  secretVersion: string | undefined,
) => string;

/** One resource of a prepared deployment, ready to be deployed once those it depends on are. */
export interface ResourcePlan {
  /** Full resource ID, e.g. /subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/storageAccounts/x. */
  id: string;
  /** Full type, e.g. Microsoft.KeyVault/vaults/secrets. */
  type: string;
  /** Full name, e.g. myvault/mysecret. */
  name: string;
  apiVersion: string;
  /** For an extension resource (one with `scope`), the ID of the resource it extends. */
  scope?: string;
  /** IDs of the deployed resources this one waits for (resolved from dependsOn). */
  dependsOn: string[];
  /** Where the declaration is in the template, e.g. "resources[1].resources[0]". */
  templatePath: string;
  /** The resource loop this instance belongs to, if any. */
  copy?: { name: string; index: number; count: number };
}

/** A resource body with every expression evaluated, as it should be PUT to its provider. */
export interface EvaluatedResource {
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  scope?: string;
  /** Everything else the template gave: location, tags, sku, kind, identity, properties, zones... */
  body: TemplateObject;
}

export interface DeploymentOutput {
  /** As Azure returns it: String, Int, Bool, Object, Array, SecureString, SecureObject. */
  type: string;
  value?: TemplateValue;
}

export interface DeploymentParameter {
  type: string;
  value?: TemplateValue;
}

export interface PreparedDeployment {
  /** Parameter values after defaults (by the name the template declares). */
  parameterValues: Record<string, TemplateValue>;
  /** properties.parameters of the deployment as Azure returns it (secure values left out). */
  parameters: Record<string, DeploymentParameter>;
  variables: Record<string, TemplateValue>;
  /** Resources to deploy, in an order where each comes after everything it depends on. */
  resources: ResourcePlan[];
  /** Resources whose condition is false: not deployed. */
  skippedResources: ResourcePlan[];
  /** The 64-bit hash ARM shows as properties.templateHash (see template-hash.ts for how faithful it is). */
  templateHash: string;
  /** Evaluates one resource's body; reference() sees what `runtime` returns for resources deployed before it. */
  evaluateResource(resource: ResourcePlan, runtime: RuntimeCallbacks): EvaluatedResource;
  /** Evaluates the outputs once every resource is deployed. */
  evaluateOutputs(runtime: RuntimeCallbacks): Record<string, DeploymentOutput>;
}
