// formatUsage: a sample's --help, with its options in aligned columns, the identity flags every sample shares, and
// the --verbose and --help that parseSampleArgs adds.
import { expect, it } from "vitest";
import { formatUsage, identitySelectorUsage } from "../src/index.ts";

it("aligns the options, the shared identity flags included, and ends with --verbose and --help", () => {
  const usage = formatUsage("Lists the resource groups of a subscription.", [
    ["--subscription-id ID", "Subscription to list (env AZURE_SUBSCRIPTION_ID)"],
    ["--json", "Print JSON"],
    ...identitySelectorUsage,
  ]);
  expect(usage).toBe(
    [
      "Lists the resource groups of a subscription.",
      "",
      "Usage: node src/index.ts [options]",
      "",
      "Options:",
      "  --subscription-id ID  Subscription to list (env AZURE_SUBSCRIPTION_ID)",
      "  --json                Print JSON",
      "  --client-id ID        Sign in as the user-assigned identity with this client ID (env AZURE_CLIENT_ID)",
      "  --object-id ID        ... or with this object ID (env AZURE_MANAGED_IDENTITY_OBJECT_ID)",
      "  --resource-id ID      ... or with this resource ID (env AZURE_MANAGED_IDENTITY_RESOURCE_ID)",
      "                        (none of the three: the VM's system-assigned identity)",
      "  --verbose             Print stack traces on errors",
      "  -h, --help            Show this help",
    ].join("\n"),
  );
});
