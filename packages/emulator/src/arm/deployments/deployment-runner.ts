// Runs a planned deployment as ARM does: each resource in dependency order is PUT through the same handler a direct
// request would reach (as the same caller, so its provider's rules and RBAC apply), long-running ones are waited for,
// a resource whose dependency failed is not started, Complete mode then deletes what the template does not name, and
// the outputs are evaluated last. Every step is a deployment operation.
import { randomBytes, randomUUID } from "node:crypto";
import type { Reply } from "../../http/reply.ts";
import type { ArmResourceRecord } from "../../state/world-state.ts";
import {
  type ResourcePlan,
  type RuntimeCallbacks,
  TemplateError,
  type TemplateValue,
} from "../../template-engine/index.ts";
import type { ArmErrorDetail } from "../arm-errors.ts";
import type { ArmRequest } from "../arm-request.ts";
import { isListedResource } from "../generic-resources.ts";
import type { OperationOutcome } from "../long-running-operations.ts";
import { parseResourceId, resourceBody, resourceNotFound } from "../resource-envelope.ts";
import { STORAGE_ACCOUNT_TYPE, storageAccountKeys } from "../storage-accounts.ts";
import type { DeploymentPlan } from "./deployment-plan.ts";
import {
  type DeploymentOperationRecord,
  type DeploymentRecord,
  deploymentFailedError,
  isoDuration,
  statusCodeName,
} from "./deployment-records.ts";

const TERMINAL_STATES = new Set(["succeeded", "failed", "canceled"]);
/** Realistic mode: how long a deployment stays Accepted, and the least each resource takes, so demos show progress. */
const REALISTIC_ACCEPTED_MS = 1000;
const REALISTIC_STEP_MS = 500;
/** How often a resource that reports a non-terminal provisioningState is read again, and for how long at most. */
const PROVISIONING_POLL_MS = 500;
const PROVISIONING_TIMEOUT_MS = 60_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const newOperationId = () => randomBytes(8).toString("hex").toUpperCase();

/** reference(), listKeys() and list*() of a running deployment read the world as it is now. */
function runtimeOf(request: ArmRequest): RuntimeCallbacks {
  const find = (id: string): ArmResourceRecord => {
    const record = request.world.getResource(id);
    if (record) return record;
    const address = parseResourceId(id);
    // A plain Error: the template engine reports it as the failing expression's reason, in ARM's words.
    throw new Error(address ? resourceNotFound(address).message : `The Resource '${id}' was not found.`);
  };
  return {
    reference(id, apiVersion, full) {
      const record = find(id);
      if (!full) return structuredClone(record.properties) as TemplateValue;
      const { id: _id, name: _name, type: _type, ...rest } = resourceBody(record);
      return structuredClone({ ...(apiVersion ? { apiVersion } : {}), ...rest }) as TemplateValue;
    },
    listKeys(id) {
      const record = find(id);
      const keys =
        record.type.toLowerCase() === STORAGE_ACCOUNT_TYPE.toLowerCase()
          ? storageAccountKeys(request.world, record.id)
          : undefined;
      if (!keys) throw new Error(`The resource '${id}' has no keys the emulator can list.`);
      return keys as TemplateValue;
    },
    list(functionName, id) {
      throw new Error(`The emulator does not implement ${functionName}() (resource '${id}').`);
    },
  };
}

/** Waits until a provider's answer is final: its long-running operation completes, or its provisioningState settles. */
async function completion(
  request: ArmRequest,
  path: string,
  apiVersion: string,
  reply: Reply,
): Promise<Reply> {
  const headers = reply.headers ?? {};
  const operationUrl = headers["azure-asyncoperation"] ?? headers.location;
  const operationId = operationUrl ? request.operations.idFromUrl(operationUrl) : undefined;
  if ((reply.status === 201 || reply.status === 202) && operationId) {
    const operation = await request.operations.settled(operationId);
    const outcome = operation?.outcome ?? {};
    if (operation?.status === "Failed" && outcome.error)
      return { status: outcome.errorStatus ?? 400, body: { error: outcome.error } };
    return { status: 200, body: outcome.result ?? reply.body };
  }
  let current = reply;
  const deadline = Date.now() + PROVISIONING_TIMEOUT_MS;
  const stateOf = (answer: Reply) =>
    String(
      (answer.body as { properties?: { provisioningState?: unknown } } | undefined)?.properties
        ?.provisioningState ?? "",
    );
  while (current.status < 300 && stateOf(current) && !TERMINAL_STATES.has(stateOf(current).toLowerCase())) {
    if (Date.now() > deadline) break;
    await sleep(PROVISIONING_POLL_MS);
    current = await request.dispatch({ method: "GET", path, apiVersion });
  }
  return current;
}

function errorOf(reply: Reply): ArmErrorDetail {
  const error = (reply.body as { error?: ArmErrorDetail } | undefined)?.error;
  return (
    error ?? {
      code: statusCodeName(reply.status),
      message: `The resource operation failed with status ${reply.status}.`,
    }
  );
}

/** The deployment's operations as they happen, saved with the deployment after every step. */
class OperationJournal {
  readonly #deployment: DeploymentRecord;
  readonly #operations: DeploymentOperationRecord[] = [];

  constructor(deployment: DeploymentRecord) {
    this.#deployment = deployment;
  }

  async start(
    provisioningOperation: DeploymentOperationRecord["provisioningOperation"],
    target?: DeploymentOperationRecord["targetResource"],
  ): Promise<DeploymentOperationRecord> {
    const operation: DeploymentOperationRecord = {
      operationId: newOperationId(),
      provisioningOperation,
      provisioningState: "Running",
      timestamp: new Date().toISOString(),
      duration: "PT0S",
      trackingId: randomUUID(),
      serviceRequestId: randomUUID(),
      ...(target ? { targetResource: target } : {}),
      startedAtMs: Date.now(),
    };
    this.#operations.push(operation);
    await this.#save();
    return operation;
  }

  async finish(operation: DeploymentOperationRecord, status: number, error?: ArmErrorDetail): Promise<void> {
    operation.provisioningState = error ? "Failed" : "Succeeded";
    operation.timestamp = new Date().toISOString();
    operation.duration = isoDuration(Date.now() - operation.startedAtMs);
    operation.statusCode = statusCodeName(status);
    if (error) operation.statusMessage = { status: "Failed", error };
    await this.#save();
  }

  #save(): Promise<void> {
    return this.#deployment.update((_, extra) => {
      extra.operations = this.#operations.map((entry) => ({ ...entry }));
    });
  }
}

/** Runs the deployment to its end and returns the outcome of its long-running operation. */
export async function runDeployment(
  request: ArmRequest,
  plan: DeploymentPlan,
  deployment: DeploymentRecord,
): Promise<OperationOutcome> {
  const realistic = request.latency === "realistic";
  const runtime = runtimeOf(request);
  const journal = new OperationJournal(deployment);
  const startedAtMs = Date.now();

  if (realistic) await sleep(REALISTIC_ACCEPTED_MS);
  await deployment.update((record) => {
    record.properties.provisioningState = "Running";
    record.properties.timestamp = new Date().toISOString();
  });

  // ARM starts every resource as soon as the resources it depends on are deployed, so independent resources run in
  // parallel (their deployment operations overlap); a resource whose dependency failed is not started.
  const outcomes = new Map<string, Promise<ArmErrorDetail | "not started" | undefined>>();
  for (const resource of plan.prepared.resources) {
    const dependencies = resource.dependsOn.flatMap((id) => outcomes.get(id.toLowerCase()) ?? []);
    outcomes.set(
      resource.id.toLowerCase(),
      Promise.all(dependencies).then(async (results) => {
        if (results.some((result) => result !== undefined)) return "not started";
        const error = await deployResource(request, plan, resource, runtime, journal);
        if (realistic) await sleep(REALISTIC_STEP_MS);
        return error;
      }),
    );
  }
  const results = await Promise.all(plan.prepared.resources.map((r) => outcomes.get(r.id.toLowerCase())));
  const failures = results.filter((result): result is ArmErrorDetail => typeof result === "object");
  const deployed = plan.prepared.resources
    .filter((_, index) => results[index] === undefined)
    .map((r) => r.id);

  if (failures.length === 0 && plan.mode === "Complete") {
    failures.push(...(await deleteUnnamedResources(request, plan, journal)));
  }

  let outputs: Record<string, unknown> | undefined;
  let outputError: ArmErrorDetail | undefined;
  if (failures.length === 0 && Object.keys(outputsOf(plan)).length > 0) {
    const operation = await journal.start("EvaluateDeploymentOutput");
    try {
      outputs = plan.prepared.evaluateOutputs(runtime) as Record<string, unknown>;
      await journal.finish(operation, 200);
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      outputError = error.toErrorBody() as ArmErrorDetail;
      await journal.finish(operation, 400, outputError);
    }
  }

  const error = failures.length ? deploymentFailedError(plan.id, failures) : outputError;
  await deployment.update((record) => {
    const properties = record.properties;
    properties.provisioningState = error ? "Failed" : "Succeeded";
    properties.timestamp = new Date().toISOString();
    properties.duration = isoDuration(Date.now() - startedAtMs);
    if (outputs) properties.outputs = outputs;
    if (deployed.length) properties.outputResources = deployed.map((id) => ({ id }));
    if (error) properties.error = error;
  });
  return error ? { error, errorStatus: 400 } : {};
}

function outputsOf(plan: DeploymentPlan): Record<string, unknown> {
  const outputs = Object.entries(plan.template).find(([key]) => key.toLowerCase() === "outputs")?.[1];
  return outputs && typeof outputs === "object" ? (outputs as Record<string, unknown>) : {};
}

/** One resource: evaluate its body now (reference() sees what was deployed before it), PUT it, wait for it. */
async function deployResource(
  request: ArmRequest,
  plan: DeploymentPlan,
  resource: ResourcePlan,
  runtime: RuntimeCallbacks,
  journal: OperationJournal,
): Promise<ArmErrorDetail | undefined> {
  const operation = await journal.start("Create", {
    id: resource.id,
    resourceType: resource.type,
    resourceName: resource.name,
    apiVersion: resource.apiVersion,
  });
  let body: unknown;
  try {
    body = plan.prepared.evaluateResource(resource, runtime).body;
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    const detail = error.toErrorBody(plan.templateLink ? "" : "properties.template") as ArmErrorDetail;
    await journal.finish(operation, 400, detail);
    return detail;
  }
  const first = await request.dispatch({
    method: "PUT",
    path: resource.id,
    apiVersion: resource.apiVersion,
    body,
  });
  const reply = await completion(request, resource.id, resource.apiVersion, first);
  if (reply.status >= 400) {
    const error = errorOf(reply);
    await journal.finish(operation, reply.status, error);
    return error;
  }
  await journal.finish(operation, first.status === 202 ? reply.status : first.status);
  return undefined;
}

/** Complete mode: the group's top-level resources the template does not name are deleted, as a DELETE would. */
async function deleteUnnamedResources(
  request: ArmRequest,
  plan: DeploymentPlan,
  journal: OperationJournal,
): Promise<ArmErrorDetail[]> {
  const named = new Set(plan.prepared.resources.map((resource) => resource.id.toLowerCase()));
  const unnamed = request.world
    .listResources({ subscriptionId: plan.group.subscriptionId, resourceGroup: plan.group.name })
    .filter((record) => isListedResource(record) && !named.has(record.id.toLowerCase()));
  const failures: ArmErrorDetail[] = [];
  for (const record of unnamed) {
    const operation = await journal.start("Delete", {
      id: record.id,
      resourceType: record.type,
      resourceName: record.name,
    });
    const first = await request.dispatch({
      method: "DELETE",
      path: record.id,
      apiVersion: request.apiVersion,
    });
    const reply = await completion(request, record.id, request.apiVersion, first);
    const error = reply.status >= 400 ? errorOf(reply) : undefined;
    await journal.finish(operation, reply.status, error);
    if (error) failures.push(error);
  }
  return failures;
}
