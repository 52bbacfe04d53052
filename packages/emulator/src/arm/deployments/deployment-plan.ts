// Turns a deployment request into a checked plan, as ARM's validation does before anything is deployed: the body, the
// template (inline or from the local catalog by templateLink), the template engine's validation (InvalidTemplate),
// then preflight: write permission on every resource, and the providers' own checks of every resource body that can
// be evaluated before deployment (InvalidTemplateDeployment / PreflightValidationCheckFailed).
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { VAULT_RESOURCE_TYPE } from "../../identifiers.ts";
import { normalizeLocation, type ResourceGroupRecord } from "../../state/world-state.ts";
import {
  type DeploymentContext,
  invalidContentLink,
  type PreparedDeployment,
  prepareDeployment,
  type ResourcePlan,
  type RuntimeCallbacks,
  resolveTemplateLink,
  TemplateError,
  type TemplateObject,
} from "../../template-engine/index.ts";
import { ArmError, type ArmErrorDetail, armErrors } from "../arm-errors.ts";
import { type ArmRequest, parseArmBody } from "../arm-request.ts";
import { validateVault } from "../key-vaults.ts";
import { parseResourceId } from "../resource-envelope.ts";
import { STORAGE_ACCOUNT_TYPE, validateStorageAccount } from "../storage-accounts.ts";

const deploymentBodySchema = z.looseObject({
  location: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  properties: z.looseObject({
    mode: z.enum(["Incremental", "Complete"]),
    template: z.record(z.string(), z.unknown()).optional(),
    templateLink: z
      .looseObject({
        uri: z.string().optional(),
        id: z.string().optional(),
        contentVersion: z.string().optional(),
        queryString: z.string().optional(),
      })
      .optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    parametersLink: z.looseObject({ uri: z.string() }).optional(),
  }),
});

export interface DeploymentPlan {
  name: string;
  /** /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Resources/deployments/{name} */
  id: string;
  group: ResourceGroupRecord;
  mode: "Incremental" | "Complete";
  template: TemplateObject;
  templateLink?: { uri: string; contentVersion?: string };
  tags?: Record<string, string>;
  prepared: PreparedDeployment;
  /** Where each resource goes, for properties.providers (only those known before deployment). */
  locations: Map<string, string>;
}

/** Marks a resource whose body needs the deployment to run (reference(), listKeys()): preflight skips it, as ARM does. */
const DEFERRED = "DeferredToDeployment";
const preflightRuntime: RuntimeCallbacks = {
  reference: () => {
    throw new TemplateError({ code: DEFERRED, message: "evaluated at deployment time" });
  },
  listKeys: () => {
    throw new TemplateError({ code: DEFERRED, message: "evaluated at deployment time" });
  },
  list: () => {
    throw new TemplateError({ code: DEFERRED, message: "evaluated at deployment time" });
  },
};

/** A template error as ARM answers it: 400 with the engine's error body (JSON path inside the request). */
function templateErrorReply(error: TemplateError, linked: boolean): ArmError {
  return ArmError.fromDetail(400, error.toErrorBody(linked ? "" : "properties.template") as ArmErrorDetail);
}

/** Parses, resolves and validates; throws ArmError exactly where ARM's validation would fail. */
export function planDeployment(request: ArmRequest, group: ResourceGroupRecord): DeploymentPlan {
  const name = request.params.deploymentName ?? "";
  const id = `/subscriptions/${group.subscriptionId}/resourceGroups/${group.name}/providers/Microsoft.Resources/deployments/${name}`;
  const input = parseArmBody(deploymentBodySchema, request.body);
  const { properties } = input;
  if ((properties.template === undefined) === (properties.templateLink === undefined))
    throw armErrors.invalidRequestContent("properties: give exactly one of 'template' and 'templateLink'");

  let template: TemplateObject;
  let templateLink: DeploymentPlan["templateLink"];
  const linked = properties.templateLink !== undefined;
  try {
    if (properties.parametersLink) throw invalidContentLink(properties.parametersLink.uri, randomUUID());
    if (properties.templateLink) {
      const uri = properties.templateLink.uri ?? properties.templateLink.id ?? "";
      template = resolveTemplateLink(uri).template;
      // ARM answers the link with the template's contentVersion when the request gave none.
      const contentVersion = properties.templateLink.contentVersion ?? template.contentVersion;
      templateLink = { uri, ...(typeof contentVersion === "string" ? { contentVersion } : {}) };
    } else {
      template = properties.template as TemplateObject;
    }
  } catch (error) {
    if (error instanceof TemplateError) throw templateErrorReply(error, linked);
    throw error;
  }

  const subscription = request.world.findSubscription(group.subscriptionId);
  const context: DeploymentContext = {
    subscriptionId: group.subscriptionId,
    ...(subscription ? { subscriptionDisplayName: subscription.displayName } : {}),
    tenantId: request.world.tenantId,
    tenantDisplayName: request.world.scenario.tenant.displayName,
    resourceGroup: {
      name: group.name,
      location: group.location,
      tags: group.tags,
      ...(group.managedBy ? { managedBy: group.managedBy } : {}),
    },
    deploymentName: name,
    mode: properties.mode,
    ...(templateLink ? { templateLink } : {}),
  };
  let prepared: PreparedDeployment;
  try {
    prepared = prepareDeployment({
      template,
      parameters: properties.parameters as Parameters<typeof prepareDeployment>[0]["parameters"],
      context,
    });
  } catch (error) {
    if (error instanceof TemplateError) throw templateErrorReply(error, linked);
    throw error;
  }
  return {
    name,
    id,
    group,
    mode: properties.mode,
    template,
    ...(templateLink ? { templateLink } : {}),
    ...(input.tags ? { tags: input.tags } : {}),
    prepared,
    locations: new Map(),
  };
}

/** The provider checks preflight runs on a resource body, by type (the providers that have such rules). */
function providerCheck(request: ArmRequest, plan: ResourcePlan, body: unknown): ArmError | undefined {
  const address = parseResourceId(plan.id);
  if (!address || plan.scope !== undefined) return undefined;
  const type = plan.type.toLowerCase();
  if (type === STORAGE_ACCOUNT_TYPE.toLowerCase())
    return validateStorageAccount(request.world, address, body);
  if (type === VAULT_RESOURCE_TYPE.toLowerCase())
    return validateVault(
      request.world,
      address,
      (body as { properties?: { createMode?: unknown } } | undefined)?.properties?.createMode,
    );
  return undefined;
}

/**
 * ARM's preflight: the caller must be allowed to write every resource (checked before anything is deployed), and
 * each provider validates the bodies that need nothing from the deployment itself.
 */
export function preflight(request: ArmRequest, plan: DeploymentPlan): void {
  const { caller } = request;
  for (const resource of plan.prepared.resources) {
    const action = `${resource.type}/write`;
    if (!request.can(action, resource.id)) {
      throw armErrors.templateResourceAuthorizationFailed(
        resource.name,
        resource.type,
        caller.clientId,
        caller.objectId,
        action,
        resource.id,
      );
    }
  }
  const errors: ArmErrorDetail[] = [];
  for (const resource of plan.prepared.resources) {
    let body: TemplateObject;
    try {
      body = plan.prepared.evaluateResource(resource, preflightRuntime).body;
    } catch (error) {
      if (error instanceof TemplateError && error.code === DEFERRED) continue;
      if (error instanceof TemplateError) throw templateErrorReply(error, plan.templateLink !== undefined);
      throw error;
    }
    if (typeof body.location === "string")
      plan.locations.set(resource.id.toLowerCase(), normalizeLocation(body.location));
    const problem = providerCheck(request, resource, body);
    if (problem) errors.push(problem.toDetail());
  }
  if (errors.length) throw armErrors.preflightValidationFailed(plan.name, request.requestId, errors);
}
