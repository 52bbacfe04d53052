// Polling endpoints of long-running operations: the Location URL (operationresults) and the Azure-AsyncOperation URL
// (operationStatuses), for operations any provider started through LongRunningOperations.
import type { Reply } from "../http/reply.ts";
import { ArmError, armErrors } from "./arm-errors.ts";
import type { ArmProvider, ArmRequest } from "./arm-request.ts";

async function findOperation(request: ArmRequest) {
  const record = await request.operations.poll(request.params.operationId ?? "");
  if (
    !record ||
    record.subscriptionId.toLowerCase() !== (request.params.subscriptionId ?? "").toLowerCase()
  ) {
    throw armErrors.operationNotFound();
  }
  return record;
}

async function locationPoll(request: ArmRequest): Promise<Reply> {
  const record = await findOperation(request);
  if (record.status === "InProgress") {
    return request.operations.acceptedReply(record, {
      baseUrl: request.baseUrl,
      apiVersion: request.apiVersion,
      status: 202,
    });
  }
  const outcome = record.outcome ?? {};
  if (outcome.error)
    throw new ArmError(
      outcome.errorStatus ?? 400,
      outcome.error.code,
      outcome.error.message,
      {},
      outcome.error.details,
    );
  return outcome.result === undefined ? { status: 200 } : { status: 200, body: outcome.result };
}

async function statusPoll(request: ArmRequest): Promise<Reply> {
  const record = await findOperation(request);
  const headers: Record<string, string> = {};
  if (record.status === "InProgress") headers["retry-after"] = String(request.operations.retryAfterSeconds());
  return {
    status: 200,
    headers,
    body: request.operations.statusBody(record, request.baseUrl, request.apiVersion),
  };
}

export const operationsProvider: ArmProvider = {
  name: "operation results",
  routes: [
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/operationresults/:operationId",
      handler: locationPoll,
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers/:providerNamespace/locations/:location/operationStatuses/:operationId",
      handler: statusPoll,
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/providers/:providerNamespace/locations/:location/operationResults/:operationId",
      handler: locationPoll,
    },
  ],
};
