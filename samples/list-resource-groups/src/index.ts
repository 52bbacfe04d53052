/**
 * @summary Lists the resource groups of a subscription, signed in as the Azure VM's managed identity:
 * the shortest path from a credential to a result. Ports the Node.js sample
 * Azure-Samples/resources-node-manage-resources-with-msi to the current Azure SDK for JavaScript.
 */

import { ResourceManagementClient } from "@azure/arm-resources";
import {
  createManagedIdentityCredential,
  describePrincipal,
  exitWithError,
  formatPrincipal,
  getInstanceMetadata,
  isGuid,
  parseSampleArgs,
  resolveSetting,
} from "@msi-samples/identity";

const usage = `Lists the resource groups of a subscription, signed in with the VM's managed identity.

Usage: pnpm start [options]

Options:
  --subscription-id ID  Subscription to list (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)
  --json                Print the resource groups as JSON on stdout (messages go to stderr)
  --client-id ID        Sign in as the user-assigned identity with this client ID (env AZURE_CLIENT_ID)
  --object-id ID        ... or with this object ID (env AZURE_MANAGED_IDENTITY_OBJECT_ID)
  --resource-id ID      ... or with this resource ID (env AZURE_MANAGED_IDENTITY_RESOURCE_ID)
                        (none of the three: the VM's system-assigned identity)
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
  // With --json, stdout carries only the JSON document, so people-facing lines go to stderr.
  const say = values.json ? console.error : console.log;

  // <snippet_resolve_subscription>
  const subscription = await resolveSetting({
    name: "subscription-id",
    flag: values["subscription-id"],
    envName: "AZURE_SUBSCRIPTION_ID",
    fromMetadata: async () => (await getInstanceMetadata()).subscriptionId,
    prompt: "Subscription ID: ",
    validate: (value) =>
      isGuid(value) ? undefined : "must be a GUID such as 00000000-0000-0000-0000-000000000000",
  });
  // </snippet_resolve_subscription>

  // <snippet_sign_in>
  const credential = createManagedIdentityCredential({
    clientId: values["client-id"],
    objectId: values["object-id"],
    resourceId: values["resource-id"],
  });
  say(formatPrincipal(await describePrincipal(credential)));
  // </snippet_sign_in>

  // <snippet_list_resource_groups>
  const client = new ResourceManagementClient(credential, subscription.value);
  const groups = [];
  for await (const group of client.resourceGroups.list()) {
    groups.push({
      name: group.name ?? "",
      location: group.location,
      provisioningState: group.properties?.provisioningState ?? "",
      id: group.id ?? "",
      tags: group.tags ?? {},
    });
  }
  // </snippet_list_resource_groups>

  if (values.json) {
    console.log(JSON.stringify({ subscriptionId: subscription.value, resourceGroups: groups }, null, 2));
    return;
  }
  say(`Subscription ${subscription.value} (from ${subscription.source}): ${groups.length} resource group(s)`);
  if (groups.length === 0) return;
  const rows = [
    ["NAME", "LOCATION", "STATE"],
    ...groups.map((g) => [g.name, g.location, g.provisioningState]),
  ];
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]?.length ?? 0)));
  for (const [name = "", location = "", state = ""] of rows) {
    say(`${name.padEnd(widths[0] ?? 0)}  ${location.padEnd(widths[1] ?? 0)}  ${state}`);
  }
}

main().catch(exitWithError);
