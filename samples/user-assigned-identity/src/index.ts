/**
 * @summary Signs in with the VM's system-assigned identity or a user-assigned one (chosen by client ID,
 * object ID or resource ID), discovers the subscription through the subscriptions API, and lists its
 * resource groups. Ports the Python sample Azure-Samples/resource-manager-python-manage-resources-with-msi
 * to the current Azure SDK for JavaScript.
 */

// <snippet_imports>
import { ResourceManagementClient } from "@azure/arm-resources";
import { SubscriptionClient } from "@azure/arm-resources-subscriptions";
import { ManagedIdentityCredential } from "@azure/identity";
// </snippet_imports>
import { describePrincipal, formatIdentityInUse, withTokenDeadline } from "@msi-samples/identity";
import { exitWithError, installCtrlCAndUncaughtErrorHandlers } from "@msi-samples/sample-cli";
import { chooseSubscription } from "./choose-subscription.ts";
import { settingsFromFlagsOrEnvironment } from "./settings.ts";

async function main(): Promise<void> {
  installCtrlCAndUncaughtErrorHandlers(); // Ctrl-C exits 130; an error nothing caught is explained
  const settings = await settingsFromFlagsOrEnvironment();
  const say = settings.json ? console.error : console.log;

  // <snippet_credential>
  // A user-assigned identity is chosen by one of its IDs; with none, the VM's system-assigned identity signs in.
  const { clientId, objectId, resourceId } = settings.identity;
  const managedIdentity = clientId
    ? new ManagedIdentityCredential({ clientId })
    : objectId
      ? new ManagedIdentityCredential({ objectId })
      : resourceId
        ? new ManagedIdentityCredential({ resourceId })
        : new ManagedIdentityCredential();
  // </snippet_credential>
  // The SDK waits forever for an IMDS that never answers: give up after a deadline instead.
  const credential = withTokenDeadline(managedIdentity, settings.identity);
  const principal = await describePrincipal(credential);
  // From the token, not the flags: with no selector, IMDS uses a VM's only user-assigned identity.
  say(`Using ${formatIdentityInUse(credential.identity, principal)}.`);
  say(principal.description);

  let subscription = settings.subscription;
  if (subscription === undefined) {
    // <snippet_list_subscriptions>
    const subscriptionClient = new SubscriptionClient(credential);
    const subscriptions = [];
    for await (const found of subscriptionClient.subscriptions.list()) subscriptions.push(found);
    // </snippet_list_subscriptions>
    subscription = await chooseSubscription(subscriptions, principal.objectId);
  }
  say(`Using subscription ${subscription.id} (${subscription.source}).`);

  // <snippet_list_resource_groups>
  const resourceClient = new ResourceManagementClient(credential, subscription.id);
  const resourceGroups = [];
  for await (const group of resourceClient.resourceGroups.list()) {
    resourceGroups.push({ name: group.name ?? "", location: group.location });
  }
  // </snippet_list_resource_groups>

  if (settings.json) {
    const identity = credential.identity;
    console.log(JSON.stringify({ identity, principal, subscription, resourceGroups }, null, 2));
    return;
  }
  say(`${resourceGroups.length} resource group(s):`);
  for (const group of resourceGroups) say(`  ${group.name} (${group.location})`);
}

main().catch(exitWithError);
