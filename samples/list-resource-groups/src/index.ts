/**
 * @summary Lists the resource groups of a subscription, signed in as the Azure VM's managed identity:
 * the shortest path from a credential to a result. Ports the Node.js sample
 * Azure-Samples/resources-node-manage-resources-with-msi to the current Azure SDK for JavaScript.
 */

// <snippet_imports>
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
// </snippet_imports>
import { describePrincipal, roleAssignmentCommand, withTokenDeadline } from "@msi-samples/identity";
import { exitWithError, installCtrlCAndUncaughtErrorHandlers } from "@msi-samples/sample-cli";
import { settingsFromFlagsEnvironmentOrVm } from "./settings.ts";

async function main(): Promise<void> {
  installCtrlCAndUncaughtErrorHandlers(); // Ctrl-C exits 130; an error nothing caught is explained
  const { identity, subscription, json } = await settingsFromFlagsEnvironmentOrVm();
  // With --json, stdout carries only the JSON document, so people-facing lines go to stderr.
  const say = json ? console.error : console.log;

  // <snippet_credential>
  // A user-assigned identity is chosen by one of its IDs; with none, the VM's system-assigned identity signs in.
  const { clientId, objectId, resourceId } = identity;
  const managedIdentity = clientId
    ? new ManagedIdentityCredential({ clientId })
    : objectId
      ? new ManagedIdentityCredential({ objectId })
      : resourceId
        ? new ManagedIdentityCredential({ resourceId })
        : new ManagedIdentityCredential();
  // </snippet_credential>
  // The SDK waits forever for an IMDS that never answers: give up after a deadline instead.
  const credential = withTokenDeadline(managedIdentity, identity);
  const principal = await describePrincipal(credential);
  say(principal.description);

  // <snippet_list_resource_groups>
  const client = new ResourceManagementClient(credential, subscription.value);
  const groups = [];
  for await (const group of client.resourceGroups.list()) groups.push(group);
  // </snippet_list_resource_groups>

  if (json) {
    console.log(JSON.stringify({ subscriptionId: subscription.value, resourceGroups: groups }, null, 2));
    return;
  }
  say(`Subscription ${subscription.value} (from ${subscription.source}): ${groups.length} resource group(s)`);
  for (const { name = "", location, properties } of groups) {
    say(`${name.padEnd(24)} ${location.padEnd(16)} ${properties?.provisioningState}`);
  }
  if (groups.length === 0) {
    // Azure lists no groups, rather than refusing, to an identity without a role on the subscription.
    const reader = roleAssignmentCommand(
      principal.objectId,
      "Reader",
      `/subscriptions/${subscription.value}`,
    );
    say(`No groups, or no role to see them? To grant Reader: ${reader}`);
  }
}

main().catch(exitWithError);
