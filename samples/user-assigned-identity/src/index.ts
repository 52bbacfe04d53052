/**
 * @summary Signs in with the VM's system-assigned identity or a user-assigned one (chosen by client ID,
 * object ID or resource ID), discovers the subscription through the subscriptions API, and lists its
 * resource groups. Ports the Python sample Azure-Samples/resource-manager-python-manage-resources-with-msi
 * to the current Azure SDK for JavaScript.
 */

import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import {
  assertGuid,
  createManagedIdentityCredential,
  describePrincipal,
  exitWithError,
  formatPrincipal,
  getInstanceMetadata,
  parseSampleArgs,
  UsageError,
} from "@msi-samples/identity";

const usage = `Signs in with a managed identity, finds its subscription, and lists the resource groups.

Usage: pnpm start [options]

Choose the identity (at most one; none means the VM's system-assigned identity):
  --client-id ID        Client ID of a user-assigned identity (env AZURE_CLIENT_ID)
  --object-id ID        Object (principal) ID of a user-assigned identity (env AZURE_MANAGED_IDENTITY_OBJECT_ID)
  --resource-id ID      Resource ID of a user-assigned identity (env AZURE_MANAGED_IDENTITY_RESOURCE_ID), like
                        /subscriptions/{id}/resourceGroups/{group}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}

Other options:
  --subscription-id ID  Skip discovery and use this subscription (env AZURE_SUBSCRIPTION_ID)
  --json                Print the result as JSON on stdout (messages go to stderr)
  --verbose             Print stack traces on errors
  -h, --help            Show this help`;

async function main(): Promise<void> {
  const { values } = parseSampleArgs({
    usage,
    options: {
      "client-id": { type: "string" },
      "object-id": { type: "string" },
      "resource-id": { type: "string" },
      "subscription-id": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const say = values.json ? console.error : console.log;

  // The selectors are checked here (format, at most one), before any request is sent.
  // <snippet_choose_identity>
  const credential = createManagedIdentityCredential({
    clientId: values["client-id"],
    objectId: values["object-id"],
    resourceId: values["resource-id"],
  });
  // </snippet_choose_identity>
  const requestedSubscription = values["subscription-id"] ?? process.env.AZURE_SUBSCRIPTION_ID;
  if (requestedSubscription !== undefined) {
    assertGuid(requestedSubscription, "--subscription-id / AZURE_SUBSCRIPTION_ID");
  }

  const selection = credential.identity;
  const selectorNames = { clientId: "client ID", objectId: "object ID", resourceId: "resource ID" };
  say(
    selection.kind === "system-assigned"
      ? "Using the VM's system-assigned identity."
      : `Using the user-assigned identity with ${selectorNames[selection.by]} ${selection.value}.`,
  );
  // <snippet_sign_in>
  const principal = await describePrincipal(credential);
  say(formatPrincipal(principal));
  // </snippet_sign_in>

  // The original takes the first subscription the identity can see. Here: an explicit choice wins; one
  // visible subscription is used; among several, the VM's own one is used, and otherwise the user must choose.
  // <snippet_discover_subscription>
  let subscriptionId = requestedSubscription;
  let subscriptionSource = values["subscription-id"] ? "--subscription-id" : "AZURE_SUBSCRIPTION_ID";
  if (subscriptionId === undefined) {
    const subscriptionClient = new SubscriptionClient(credential);
    const visible = [];
    for await (const subscription of subscriptionClient.subscriptions.list()) {
      if (subscription.state !== "Disabled" && subscription.state !== "Deleted") visible.push(subscription);
    }
    // The VM's own subscription decides among several, and is the scope to suggest when there is none.
    const vmSubscription =
      visible.length === 1
        ? undefined
        : await getInstanceMetadata().then(
            (vm) => vm.subscriptionId.toLowerCase(),
            () => undefined,
          );
    const own = visible.find((s) => s.subscriptionId?.toLowerCase() === vmSubscription);
    if (visible.length === 0) {
      throw new Error(
        `The identity (object ID ${principal.objectId}) has no role in any subscription. Grant it one, for ` +
          `example: az role assignment create --assignee-object-id ${principal.objectId} ` +
          '--assignee-principal-type ServicePrincipal --role "Reader" ' +
          `--scope "/subscriptions/${vmSubscription ?? "<subscription-id>"}"`,
      );
    } else if (visible.length === 1) {
      subscriptionId = visible[0]?.subscriptionId;
      subscriptionSource = "the only subscription the identity can see";
    } else if (own !== undefined) {
      subscriptionId = own.subscriptionId;
      subscriptionSource = `the VM's own subscription, one of ${visible.length} the identity can see`;
    } else {
      const choices = visible.map((s) => `  ${s.subscriptionId}  ${s.displayName ?? ""}`).join("\n");
      throw new UsageError(
        `The identity can see ${visible.length} subscriptions; choose one with --subscription-id ` +
          `(or AZURE_SUBSCRIPTION_ID):\n${choices}`,
        { setting: "--subscription-id / AZURE_SUBSCRIPTION_ID" },
      );
    }
  }
  // </snippet_discover_subscription>
  if (subscriptionId === undefined)
    throw new Error("The subscriptions API returned a subscription without an ID.");
  say(`Using subscription ${subscriptionId} (${subscriptionSource}).`);

  // <snippet_list_resource_groups>
  const resourceClient = new ResourceManagementClient(credential, subscriptionId);
  const resourceGroups = [];
  for await (const group of resourceClient.resourceGroups.list()) {
    resourceGroups.push({ name: group.name ?? "", location: group.location });
  }
  // </snippet_list_resource_groups>

  if (values.json) {
    const subscription = { id: subscriptionId, source: subscriptionSource };
    console.log(JSON.stringify({ identity: selection, principal, subscription, resourceGroups }, null, 2));
    return;
  }
  say(`${resourceGroups.length} resource group(s):`);
  for (const group of resourceGroups) say(`  ${group.name} (${group.location})`);
}

main().catch(exitWithError);
