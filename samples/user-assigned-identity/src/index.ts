/**
 * @summary Signs in with the VM's system-assigned identity or a user-assigned one (chosen by client ID,
 * object ID or resource ID), discovers the subscription through the subscriptions API, and lists its
 * resource groups. Ports the Python sample Azure-Samples/resource-manager-python-manage-resources-with-msi
 * to the current Azure SDK for JavaScript.
 */

import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import {
  createManagedIdentityCredential,
  describePrincipal,
  exitWithError,
  formatIdentityInUse,
  formatPrincipal,
  formatUsage,
  getInstanceMetadata,
  identitySelectorOptions,
  identitySelectorUsage,
  managedIdentityOptionsFrom,
  parseSampleArgs,
  resolveSetting,
  roleAssignmentCommand,
  UsageError,
  validateGuid,
} from "@msi-samples/identity";

const usage = formatUsage(
  "Signs in with a managed identity, finds its subscription, and lists the resource groups.",
  [
    ...identitySelectorUsage,
    ["--subscription-id ID", "Skip discovery and use this subscription (env AZURE_SUBSCRIPTION_ID)"],
    ["--json", "Print the result as JSON on stdout (messages go to stderr)"],
  ],
);

async function main(): Promise<void> {
  const { values } = parseSampleArgs({
    usage,
    options: { ...identitySelectorOptions, "subscription-id": { type: "string" }, json: { type: "boolean" } },
  });
  const say = values.json ? console.error : console.log;

  // The selectors are checked here (format, at most one), before any request is sent.
  // <snippet_choose_identity>
  const credential = createManagedIdentityCredential(managedIdentityOptionsFrom(values));
  // </snippet_choose_identity>
  const requested = await resolveSetting({
    name: "subscription-id",
    flag: values["subscription-id"],
    envName: "AZURE_SUBSCRIPTION_ID",
    validate: validateGuid,
    optional: true, // without one, the sample discovers it
  });

  // <snippet_sign_in>
  const principal = await describePrincipal(credential);
  // From the token, not the flags: with no selector, IMDS uses a VM's only user-assigned identity.
  say(`Using ${formatIdentityInUse(credential.identity, principal)}.`);
  say(formatPrincipal(principal));
  // </snippet_sign_in>

  // The original takes the first subscription the identity can see. Here: an explicit choice wins; one
  // visible subscription is used; among several, the VM's own one is used, and otherwise the user must choose.
  // <snippet_discover_subscription>
  let subscriptionId = requested?.value;
  let subscriptionSource = requested?.source === "flag" ? "--subscription-id" : "AZURE_SUBSCRIPTION_ID";
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
      const scope = `/subscriptions/${vmSubscription ?? "<subscription-id>"}`;
      throw new Error(
        `The identity (object ID ${principal.objectId}) has no role in any subscription. Grant it one, for ` +
          `example: ${roleAssignmentCommand(principal.objectId, "Reader", scope)}`,
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
    const identity = credential.identity;
    console.log(JSON.stringify({ identity, principal, subscription, resourceGroups }, null, 2));
    return;
  }
  say(`${resourceGroups.length} resource group(s):`);
  for (const group of resourceGroups) say(`  ${group.name} (${group.location})`);
}

main().catch(exitWithError);
