// The steps every resource provider's handlers share once the caller is authorized: which stored resource a request
// names, reading it (404 as ARM words it), saving it durably before the answer, deleting it, and HEAD's 204/404.
import type { Reply } from "../http/reply.ts";
import type { ArmResourceRecord } from "../state/world-state.ts";
import type { ArmRequest } from "./arm-request.ts";
import {
  existingGroup,
  type ResourceAddress,
  resourceBody,
  resourceIdOf,
  resourceNotFound,
} from "./resource-envelope.ts";

/** `address` with its group named as the group keeps it: the stored ID, whatever casing the request used. */
function withStoredGroupName(request: ArmRequest, address: ResourceAddress): ResourceAddress {
  const group = request.world.getResourceGroup(address.subscriptionId, address.resourceGroup);
  return { ...address, resourceGroup: group?.name ?? address.resourceGroup };
}

/** The ID the resource at `address` is stored under. */
export function storedResourceId(request: ArmRequest, address: ResourceAddress): string {
  return resourceIdOf(withStoredGroupName(request, address));
}

/** The resource a typed provider's route names: `{namespace}/{types}` called `{names}` in the request's group. */
export function routeAddress(
  request: ArmRequest,
  namespace: string,
  types: string[],
  names: string[],
): ResourceAddress {
  return withStoredGroupName(request, {
    subscriptionId: request.params.subscriptionId ?? "",
    resourceGroup: request.params.resourceGroupName ?? "",
    namespace,
    types,
    names,
  });
}

/** The stored resource at `address`; ResourceGroupNotFound or ResourceNotFound (naming `address`) otherwise. */
export function existingResource(request: ArmRequest, address: ResourceAddress): ArmResourceRecord {
  existingGroup(request);
  const record = request.world.getResource(storedResourceId(request, address));
  if (!record) throw resourceNotFound(address);
  return record;
}

/** Stores `record` and makes it durable before answering `status` with its GET body. */
export async function replyWithSaved(
  request: ArmRequest,
  record: ArmResourceRecord,
  status: 200 | 201,
): Promise<Reply> {
  request.world.putResource(record);
  await request.world.commit();
  return { status, body: resourceBody(record) };
}

/**
 * A synchronous DELETE: 200 once the resource (with its children and role assignments) is gone, 204 when there was
 * nothing to delete. `cleanUp` removes what the provider keeps elsewhere, before the change is made durable.
 */
export async function replyToDelete(request: ArmRequest, id: string, cleanUp?: () => void): Promise<Reply> {
  existingGroup(request);
  if (!request.world.getResource(id)) return { status: 204 };
  request.world.deleteResource(id);
  cleanUp?.();
  await request.world.commit();
  return { status: 200 };
}

/** HEAD (checkExistence): 204 when the group and the resource exist, 404 otherwise, never a body. */
export function replyToHead(request: ArmRequest, id: string): Reply {
  const found =
    request.world.getResourceGroup(
      request.params.subscriptionId ?? "",
      request.params.resourceGroupName ?? "",
    ) && request.world.getResource(id);
  return { status: found ? 204 : 404 };
}

/**
 * Lists across a subscription need no particular role on it: any assignment within it lets the caller list what it
 * may read there (Resources_List, the list-by-subscription operations).
 */
export function hasRoleInSubscription(request: ArmRequest, subscriptionId: string): boolean {
  return request.rbac.hasAnyAssignmentWithin(request.caller.objectId, `/subscriptions/${subscriptionId}`);
}

/**
 * What a subscription-wide list shows the caller: with a role anywhere in the subscription, ARM answers 200 with the
 * items it may read (an identity with Reader on one group sees that group); with none, AuthorizationFailed on `action`.
 */
export function readableInSubscription<T>(
  request: ArmRequest,
  action: string,
  items: readonly T[],
  scopeOf: (item: T) => string,
): T[] {
  const subscriptionId = request.params.subscriptionId ?? "";
  const scope = `/subscriptions/${subscriptionId}`;
  if (request.can(action, scope)) return [...items];
  if (!hasRoleInSubscription(request, subscriptionId)) request.authorize(action, scope);
  return items.filter((item) => request.can(action, scopeOf(item)));
}
