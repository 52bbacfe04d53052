// Microsoft.Resources subscriptions and tenants: list and get only what the caller can see (any role at or below the
// subscription). Shapes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/
// subscriptions/stable/2022-12-01/subscriptions.json (Subscription, SubscriptionListResult, TenantIdDescription); locations: ./regions.ts.
import type { Scenario } from "../state/scenario-schema.ts";
import { armErrors } from "./arm-errors.ts";
import type { ArmProvider, ArmRequest } from "./arm-request.ts";
import { pageOf } from "./paging.ts";
import { locationBody, REGIONS } from "./regions.ts";
import { hasRoleInSubscription } from "./resource-requests.ts";

type SubscriptionEntry = Scenario["subscriptions"][number];

function subscriptionBody(subscription: SubscriptionEntry, tenantId: string): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscription.id}`,
    authorizationSource: "RoleBased",
    managedByTenants: [],
    ...(subscription.tags ? { tags: subscription.tags } : {}),
    subscriptionId: subscription.id,
    tenantId,
    displayName: subscription.displayName,
    state: subscription.state,
    subscriptionPolicies: {
      locationPlacementId: "Public_2014-09-01",
      quotaId: subscription.quotaId,
      spendingLimit: subscription.spendingLimit,
    },
  };
}

function visibleSubscriptions(request: ArmRequest): SubscriptionEntry[] {
  return request.world.scenario.subscriptions.filter((s) => hasRoleInSubscription(request, s.id));
}

/** A subscription the caller cannot see looks exactly like one that does not exist. */
function requireVisibleSubscription(request: ArmRequest): SubscriptionEntry {
  const id = request.params.subscriptionId ?? "";
  const found = visibleSubscriptions(request).find((s) => s.id.toLowerCase() === id.toLowerCase());
  if (!found) throw armErrors.subscriptionNotFound(id);
  return found;
}

export const subscriptionsProvider: ArmProvider = {
  name: "Microsoft.Resources/subscriptions",
  routes: [
    {
      method: "GET",
      path: "/subscriptions",
      handler: (request) => {
        const tenantId = request.world.tenantId;
        const all = visibleSubscriptions(request).map((s) => subscriptionBody(s, tenantId));
        const page = pageOf(all, request);
        return { status: 200, body: { ...page, count: { type: "Total", value: all.length } } };
      },
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId",
      handler: (request) => ({
        status: 200,
        body: subscriptionBody(requireVisibleSubscription(request), request.world.tenantId),
      }),
    },
    {
      method: "GET",
      path: "/subscriptions/:subscriptionId/locations",
      handler: (request) => {
        const subscription = requireVisibleSubscription(request);
        const value = REGIONS.map((entry) => locationBody(subscription.id, entry));
        return { status: 200, body: { value } };
      },
    },
    {
      method: "GET",
      path: "/tenants",
      handler: (request) => {
        const tenant = request.world.scenario.tenant;
        return {
          status: 200,
          body: {
            value: [
              {
                id: `/tenants/${tenant.id}`,
                tenantId: tenant.id,
                countryCode: "US",
                displayName: tenant.displayName,
                domains: [tenant.defaultDomain],
                tenantCategory: "Home",
                defaultDomain: tenant.defaultDomain,
                tenantType: "AAD",
              },
            ],
          },
        };
      },
    },
  ],
};
