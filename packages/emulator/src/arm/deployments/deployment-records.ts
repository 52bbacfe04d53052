// How a template deployment and its operations are kept in the world (as a Microsoft.Resources/deployments resource of
// its group, so deleting the group deletes it) and rendered as ARM returns them.
// Shapes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/deployments/models.tsp
// (DeploymentExtended, DeploymentPropertiesExtended, DeploymentOperation) and examples/PutDeploymentResourceGroup.json.
import { STATUS_CODES } from "node:http";
import type { ArmResourceRecord, WorldState } from "../../state/world-state.ts";
import type { ResourcePlan } from "../../template-engine/index.ts";
import type { ArmErrorDetail } from "../arm-errors.ts";

export const DEPLOYMENT_TYPE = "Microsoft.Resources/deployments";

export type DeploymentState = "Accepted" | "Running" | "Succeeded" | "Failed" | "Canceled";

export interface DeploymentOperationRecord {
  /** 16 uppercase hex characters, as ARM's are. */
  operationId: string;
  provisioningOperation: "Create" | "Delete" | "EvaluateDeploymentOutput";
  provisioningState: "Running" | "Succeeded" | "Failed";
  timestamp: string;
  duration: string;
  trackingId: string;
  serviceRequestId: string;
  /** The provider's answer, as an HTTP status name: OK, Created, Conflict, BadRequest... */
  statusCode?: string;
  statusMessage?: { status: "Failed"; error: ArmErrorDetail };
  targetResource?: { id: string; resourceType: string; resourceName: string; apiVersion?: string };
  /** Internal: when the operation started (ms), for its duration. */
  startedAtMs: number;
}

/** What the deployments module keeps beside the rendered properties. */
export interface DeploymentExtra {
  /** The template as deployed (inline or resolved from its link), for exportTemplate. */
  template: unknown;
  operations: DeploymentOperationRecord[];
  /** The long-running operation that tracks this run (its Azure-AsyncOperation). */
  operationId?: string;
  startedAtMs: number;
}

export function deploymentExtra(record: ArmResourceRecord): DeploymentExtra {
  return record.extra as unknown as DeploymentExtra;
}

/** The deployment's record, by ID; every change goes through `update` so it is persisted like any other. */
export class DeploymentRecord {
  readonly #world: WorldState;
  readonly id: string;

  constructor(world: WorldState, id: string) {
    this.#world = world;
    this.id = id;
  }

  get current(): ArmResourceRecord | undefined {
    return this.#world.getResource(this.id);
  }

  /** Applies a change if the deployment still exists (its group may have been deleted meanwhile). */
  async update(change: (record: ArmResourceRecord, extra: DeploymentExtra) => void): Promise<void> {
    const record = this.current;
    if (!record) return;
    change(record, deploymentExtra(record));
    record.changedTime = new Date().toISOString();
    this.#world.putResource(record);
    await this.#world.commit();
  }
}

/** ISO 8601 duration as ARM writes it: PT1.234S, PT2M3.5S, PT1H0M0S. */
export function isoDuration(milliseconds: number): string {
  const total = Math.max(0, milliseconds) / 1000;
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = Number((total - hours * 3600 - minutes * 60).toFixed(7));
  if (hours > 0) return `PT${hours}H${minutes}M${seconds}S`;
  if (minutes > 0) return `PT${minutes}M${seconds}S`;
  return `PT${seconds}S`;
}

/** ARM names a status code by its enum name: 200 OK, 201 Created, 400 BadRequest, 409 Conflict. */
export function statusCodeName(status: number): string {
  return (STATUS_CODES[status] ?? String(status)).replaceAll(" ", "").replaceAll("-", "");
}

/** properties.providers: the namespaces and types the template deploys, with their regions. */
export function providersOf(
  plans: readonly ResourcePlan[],
  locations: ReadonlyMap<string, string>,
): Record<string, unknown>[] {
  const byNamespace = new Map<string, Map<string, Set<string>>>();
  for (const plan of plans) {
    const [namespace = "", ...types] = plan.type.split("/");
    const resourceType = types.join("/");
    const namespaceTypes = byNamespace.get(namespace) ?? new Map<string, Set<string>>();
    byNamespace.set(namespace, namespaceTypes);
    const regions = namespaceTypes.get(resourceType) ?? new Set<string>();
    namespaceTypes.set(resourceType, regions);
    const location = locations.get(plan.id.toLowerCase());
    if (location) regions.add(location);
  }
  return [...byNamespace].map(([namespace, types]) => ({
    namespace,
    resourceTypes: [...types].map(([resourceType, regions]) => ({
      resourceType,
      ...(regions.size ? { locations: [...regions] } : {}),
    })),
  }));
}

/** properties.dependencies: each resource that waits for others, and what it waits for. */
export function dependenciesOf(plans: readonly ResourcePlan[]): Record<string, unknown>[] {
  const byId = new Map(plans.map((plan) => [plan.id.toLowerCase(), plan]));
  return plans
    .filter((plan) => plan.dependsOn.length > 0)
    .map((plan) => ({
      dependsOn: plan.dependsOn.map((id) => {
        const dependency = byId.get(id.toLowerCase());
        return {
          id,
          resourceType: dependency?.type ?? "",
          resourceName: dependency?.name ?? id.split("/").pop() ?? "",
        };
      }),
      id: plan.id,
      resourceType: plan.type,
      resourceName: plan.name,
    }));
}

/** A deployment operation as DeploymentOperations_List returns it. */
export function operationBody(
  deploymentId: string,
  operation: DeploymentOperationRecord,
): Record<string, unknown> {
  const { operationId, startedAtMs: _startedAtMs, ...properties } = operation;
  return {
    id: `${deploymentId}/operations/${operationId}`,
    operationId,
    properties,
  };
}

/** The DeploymentFailed error ARM puts on a deployment whose resources failed. */
export function deploymentFailedError(deploymentId: string, details: ArmErrorDetail[]): ArmErrorDetail {
  return {
    code: "DeploymentFailed",
    target: deploymentId,
    message:
      "At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details.",
    details,
  };
}
