// Microsoft.Resources/deployments at resource-group scope, as @azure/arm-resourcesdeployments calls it: create or
// update (201 + Azure-AsyncOperation and Location; Accepted, Running, then Succeeded or Failed), get, check existence,
// list, delete (202 + Location), validate, exportTemplate, and the async status the SDK polls.
// Shapes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/deployments/
// (routes.tsp, models.tsp, examples/PutDeploymentResourceGroup.json, PostDeploymentValidateOnResourceGroup.json).
import type { Reply } from "../../http/reply.ts";
import { headerValue } from "../../http/rest-front-door.ts";
import type { ArmResourceRecord } from "../../state/world-state.ts";
import { armErrors } from "../arm-errors.ts";
import type { ArmProvider, ArmRequest } from "../arm-request.ts";
import { pageOf } from "../paging.ts";
import { existingGroup, groupForWrite, requestScope, resourceBody } from "../resource-envelope.ts";
import { type DeploymentPlan, planDeployment, preflight } from "./deployment-plan.ts";
import {
  DEPLOYMENT_TYPE,
  type DeploymentExtra,
  DeploymentRecord,
  dependenciesOf,
  deploymentExtra,
  providersOf,
} from "./deployment-records.ts";
import { runDeployment } from "./deployment-runner.ts";

const DEPLOYMENTS =
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.Resources/deployments";
const DEPLOYMENT = `${DEPLOYMENTS}/:deploymentName`;
const ACTION = {
  read: "Microsoft.Resources/deployments/read",
  write: "Microsoft.Resources/deployments/write",
  delete: "Microsoft.Resources/deployments/delete",
  validate: "Microsoft.Resources/deployments/validate/action",
  exportTemplate: "Microsoft.Resources/deployments/exportTemplate/action",
  operationStatuses: "Microsoft.Resources/deployments/operationstatuses/read",
};
const ACTIVE = new Set(["Accepted", "Running"]);

function deploymentId(request: ArmRequest, groupName: string): string {
  return `/subscriptions/${request.params.subscriptionId}/resourceGroups/${groupName}/providers/${DEPLOYMENT_TYPE}/${request.params.deploymentName}`;
}

export function findDeployment(request: ArmRequest): ArmResourceRecord {
  const group = existingGroup(request);
  const record = request.world.getResource(deploymentId(request, group.name));
  if (!record || record.type !== DEPLOYMENT_TYPE)
    throw armErrors.deploymentNotFound(request.params.deploymentName ?? "");
  return record;
}

/** The properties every deployment body starts with, from its validated plan. */
function plannedProperties(
  request: ArmRequest,
  plan: DeploymentPlan,
  state: string,
): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    ...(plan.templateLink ? { templateLink: plan.templateLink } : {}),
    templateHash: plan.prepared.templateHash,
    parameters: plan.prepared.parameters,
    mode: plan.mode,
    provisioningState: state,
    timestamp: now,
    duration: "PT0S",
    correlationId: correlationIdOf(request),
    providers: providersOf(plan.prepared.resources, plan.locations),
    dependencies: dependenciesOf(plan.prepared.resources),
  };
}

function correlationIdOf(request: ArmRequest): string {
  return headerValue(request.headers["x-ms-correlation-request-id"]) ?? request.requestId;
}

/**
 * Whether a deployment is still running. One left Accepted or Running by an emulator that was stopped (its operation
 * is not in this process's store) is not: it can be replaced or deleted.
 */
async function isRunning(request: ArmRequest, record: ArmResourceRecord): Promise<boolean> {
  if (!ACTIVE.has(String(record.properties.provisioningState))) return false;
  const operationId = deploymentExtra(record).operationId;
  return operationId !== undefined && (await request.operations.poll(operationId)) !== undefined;
}

/** The Azure-AsyncOperation URL ARM gives a deployment: under the deployment itself. */
function statusUrl(request: ArmRequest, operationId: string): string {
  return `${request.baseUrl}${requestScope(request)}/operationStatuses/${operationId}?api-version=${encodeURIComponent(request.apiVersion)}`;
}

async function createOrUpdate(request: ArmRequest): Promise<Reply> {
  request.authorize(ACTION.write, requestScope(request));
  const group = groupForWrite(request);
  const id = deploymentId(request, group.name);
  const existing = request.world.getResource(id);
  if (existing && (await isRunning(request, existing))) {
    throw armErrors.deploymentActive(existing.name, new Date(deploymentExtra(existing).startedAtMs));
  }
  const plan = planDeployment(request, group);
  preflight(request, plan);

  const now = new Date().toISOString();
  const extra: DeploymentExtra = { template: plan.template, operations: [], startedAtMs: Date.now() };
  const record: ArmResourceRecord = {
    id: existing?.id ?? id,
    subscriptionId: group.subscriptionId,
    resourceGroup: group.name,
    type: DEPLOYMENT_TYPE,
    name: existing?.name ?? plan.name,
    ...(plan.tags ? { tags: plan.tags } : {}),
    properties: plannedProperties(request, plan, "Accepted"),
    createdTime: existing?.createdTime ?? now,
    changedTime: now,
    extra: extra as unknown as Record<string, unknown>,
  };
  request.world.putResource(record);
  await request.world.commit();
  const accepted = resourceBody(record);

  const deployment = new DeploymentRecord(request.world, record.id);
  const operation = await request.operations.track({
    subscriptionId: group.subscriptionId,
    location: group.location,
    progress: () => String(deployment.current?.properties.provisioningState ?? "Running"),
    work: async () => {
      try {
        return await runDeployment(request, plan, deployment);
      } catch (error) {
        // A fault in the emulator must not leave the deployment Running forever.
        const detail = { code: "InternalServerError", message: (error as Error).message };
        await deployment.update((current) => {
          current.properties.provisioningState = "Failed";
          current.properties.error = detail;
        });
        return { error: detail, errorStatus: 500 };
      }
    },
  });
  await deployment.update((_, current) => {
    current.operationId = operation.id;
  });
  const reply = request.operations.acceptedReply(operation, {
    baseUrl: request.baseUrl,
    apiVersion: request.apiVersion,
    status: existing ? 200 : 201,
    asyncOperation: false,
    body: accepted,
  });
  return {
    ...reply,
    headers: { ...reply.headers, "azure-asyncoperation": statusUrl(request, operation.id) },
  };
}

async function remove(request: ArmRequest): Promise<Reply> {
  request.authorize(ACTION.delete, requestScope(request));
  const group = existingGroup(request);
  const record = request.world.getResource(deploymentId(request, group.name));
  if (!record) return { status: 204 };
  if (await isRunning(request, record)) throw armErrors.deploymentActiveCannotDelete(record.name);
  return request.operations.startAccepted(
    {
      subscriptionId: group.subscriptionId,
      location: group.location,
      realisticDurationMs: 2000,
      run: async () => {
        request.world.deleteResource(record.id);
        await request.world.commit();
        return undefined;
      },
    },
    request,
  );
}

function validate(request: ArmRequest): Reply {
  request.authorize(ACTION.validate, requestScope(request).replace(/\/validate$/i, ""));
  const group = existingGroup(request);
  const plan = planDeployment(request, group);
  preflight(request, plan);
  return {
    status: 200,
    body: {
      id: deploymentId(request, group.name),
      name: plan.name,
      type: DEPLOYMENT_TYPE,
      properties: {
        ...plannedProperties(request, plan, "Succeeded"),
        validatedResources: plan.prepared.resources.map((resource) => ({ id: resource.id })),
      },
    },
  };
}

/** `$filter=provisioningState eq '...'`, the filter Deployments_ListByResourceGroup documents. */
function stateFilter(filter: string | null): (record: ArmResourceRecord) => boolean {
  if (!filter?.trim()) return () => true;
  const match = /^\s*provisioningState\s+eq\s+'([^']*)'\s*$/i.exec(filter);
  if (!match) throw armErrors.invalidFilter(filter);
  const wanted = (match[1] ?? "").toLowerCase();
  return (record) => String(record.properties.provisioningState).toLowerCase() === wanted;
}

export const deploymentsProvider: ArmProvider = {
  name: DEPLOYMENT_TYPE,
  routes: [
    { method: "PUT", path: DEPLOYMENT, handler: createOrUpdate },
    { method: "DELETE", path: DEPLOYMENT, handler: remove },
    {
      method: "GET",
      path: DEPLOYMENT,
      handler: (request) => {
        request.authorize(ACTION.read, requestScope(request));
        return { status: 200, body: resourceBody(findDeployment(request)) };
      },
    },
    {
      method: "HEAD",
      path: DEPLOYMENT,
      handler: (request) => {
        request.authorize(ACTION.read, requestScope(request));
        const group = existingGroup(request);
        return { status: request.world.getResource(deploymentId(request, group.name)) ? 204 : 404 };
      },
    },
    {
      method: "GET",
      path: DEPLOYMENTS,
      handler: (request) => {
        request.authorize(ACTION.read, requestScope(request));
        const group = existingGroup(request);
        const keep = stateFilter(request.query.get("$filter"));
        const value = request.world
          .listResources({
            subscriptionId: group.subscriptionId,
            resourceGroup: group.name,
            type: DEPLOYMENT_TYPE,
          })
          .filter(keep)
          .sort((a, b) => b.createdTime.localeCompare(a.createdTime))
          .map(resourceBody);
        return { status: 200, body: pageOf(value, request) };
      },
    },
    { method: "POST", path: `${DEPLOYMENT}/validate`, handler: validate },
    {
      method: "POST",
      path: `${DEPLOYMENT}/exportTemplate`,
      handler: (request) => {
        request.authorize(ACTION.exportTemplate, requestScope(request).replace(/\/exportTemplate$/i, ""));
        return { status: 200, body: { template: deploymentExtra(findDeployment(request)).template } };
      },
    },
    {
      method: "GET",
      path: `${DEPLOYMENT}/operationStatuses/:operationId`,
      handler: async (request) => {
        request.authorize(
          ACTION.operationStatuses,
          requestScope(request).replace(/\/operationStatuses\/[^/]*$/i, ""),
        );
        const record = await request.operations.poll(request.params.operationId ?? "");
        if (!record) throw armErrors.operationNotFound();
        const running = record.status === "InProgress";
        // ARM's deployment status body is just the status (and the error once it failed).
        return {
          status: 200,
          ...(running ? { headers: { "retry-after": String(request.operations.retryAfterSeconds()) } } : {}),
          body: {
            status: running ? (record.progress?.() ?? "Running") : record.status,
            ...(record.outcome?.error ? { error: record.outcome.error } : {}),
          },
        };
      },
    },
  ],
};
