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
  formatUsage,
  identitySelectorOptions,
  identitySelectorUsage,
  managedIdentityOptionsFrom,
  parseSampleArgs,
  resolveSetting,
  subscriptionIdSetting,
} from "@msi-samples/identity";

const usage = formatUsage(
  "Lists the resource groups of a subscription, signed in with the VM's managed identity.",
  [
    [
      "--subscription-id ID",
      "Subscription to list (env AZURE_SUBSCRIPTION_ID; default: the VM's own subscription)",
    ],
    ["--json", "Print the resource groups as JSON on stdout (messages go to stderr)"],
    ...identitySelectorUsage,
  ],
);

async function main(): Promise<void> {
  const { values } = parseSampleArgs({
    usage,
    options: { ...identitySelectorOptions, "subscription-id": { type: "string" }, json: { type: "boolean" } },
  });
  // With --json, stdout carries only the JSON document, so people-facing lines go to stderr.
  const say = values.json ? console.error : console.log;

  // <snippet_sign_in>
  // The identity flags are checked here, before any request.
  const credential = createManagedIdentityCredential(managedIdentityOptionsFrom(values));
  // </snippet_sign_in>

  // <snippet_resolve_subscription>
  // From the flag, AZURE_SUBSCRIPTION_ID, the VM's own subscription (instance metadata), or a prompt; a GUID.
  const subscription = await resolveSetting({ ...subscriptionIdSetting, flag: values["subscription-id"] });
  // </snippet_resolve_subscription>
  say(formatPrincipal(await describePrincipal(credential)));

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
