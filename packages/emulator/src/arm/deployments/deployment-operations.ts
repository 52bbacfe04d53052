// Microsoft.Resources/deployments/operations: what a deployment did, one operation per resource (and one per
// Complete-mode deletion and for the outputs), listed and read by ID. The SDK's path has no `providers` segment;
// the docs' does; both are served. Shapes: azure-rest-api-specs Microsoft.Resources/deployments/models.tsp
// (DeploymentOperation, DeploymentOperationProperties) and the docs' "deployment operations" examples.
import { armErrors } from "../arm-errors.ts";
import type { ArmProvider, ArmRequest, ArmRoute } from "../arm-request.ts";
import { pageOf } from "../paging.ts";
import { requestScope } from "../resource-envelope.ts";
import { deploymentExtra, operationBody } from "./deployment-records.ts";
import { findDeployment } from "./deployments.ts";

const READ = "Microsoft.Resources/deployments/operations/read";
const BASES = [
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/deployments/:deploymentName/operations",
  "/subscriptions/:subscriptionId/resourcegroups/:resourceGroupName/providers/Microsoft.Resources/deployments/:deploymentName/operations",
];

function deploymentScope(request: ArmRequest): string {
  return requestScope(request).replace(/\/operations(\/[^/]*)?$/i, "");
}

const routes: ArmRoute[] = BASES.flatMap((base): ArmRoute[] => [
  {
    method: "GET",
    path: base,
    handler: (request) => {
      request.authorize(READ, deploymentScope(request));
      const deployment = findDeployment(request);
      const value = deploymentExtra(deployment).operations.map((operation) =>
        operationBody(deployment.id, operation),
      );
      return { status: 200, body: pageOf(value, request) };
    },
  },
  {
    method: "GET",
    path: `${base}/:operationId`,
    handler: (request) => {
      request.authorize(READ, deploymentScope(request));
      const deployment = findDeployment(request);
      const wanted = (request.params.operationId ?? "").toLowerCase();
      const operation = deploymentExtra(deployment).operations.find(
        (o) => o.operationId.toLowerCase() === wanted,
      );
      if (!operation) throw armErrors.deploymentOperationNotFound(request.params.operationId ?? "");
      return { status: 200, body: operationBody(deployment.id, operation) };
    },
  },
]);

export const deploymentOperationsProvider: ArmProvider = {
  name: "Microsoft.Resources/deployments/operations",
  routes,
};
