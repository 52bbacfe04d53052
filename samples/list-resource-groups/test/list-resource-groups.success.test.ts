// The sample lists exactly the resource groups of the VM's subscription, as a table or as JSON, across every page
// of the list, with one token from IMDS and the subscription taken from the VM's instance metadata.

import {
  describeRun,
  resourceGroupsInWorld,
  sampleAgainstEmulator,
  sortedByName,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("list-resource-groups lists the subscription's resource groups", () => {
  // Two groups per page, so that the three groups of the scenario take two pages (nextLink).
  const sample = sampleAgainstEmulator("list-resource-groups", { pageSize: 2 });
  const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
  const groupsInWorld = () => resourceGroupsInWorld(sample.emulator);

  it("prints a table of every group in the VM's subscription, on every page", async () => {
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("Signed in as the system-assigned identity of VM 'vm-msi-samples'");
    expect(result.stdout).toContain(
      `Subscription ${subscriptionId()} (from instance metadata): ${groupsInWorld().length} resource group(s)`,
    );
    const rows = result.stdout
      .split("\n")
      .map((line) => line.trim().split(/\s+/))
      .filter((cells) => cells.length === 3 && cells[2] === "Succeeded")
      .map(([name, location]) => ({ name, location }));
    expect(sortedByName(rows)).toEqual(groupsInWorld());
    // A group of another subscription never shows up.
    expect(result.stdout).not.toContain("rg-finance-prod");

    const armPaths = result.requests.filter((e) => e.service === "arm").map((e) => e.path);
    expect(armPaths).toHaveLength(2);
    expect(armPaths[1]).toMatch(/(\$|%24)skiptoken=/);
    expect(result.tally).toMatchObject({ imdsTokens: 1, imdsMetadata: 1, keyVault: 0 });
  });

  it("--json prints one document on stdout that a script can parse, and the messages on stderr", async () => {
    const result = await sample.run(["--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    const document = JSON.parse(result.stdout) as {
      subscriptionId: string;
      resourceGroups: { name: string; location: string; provisioningState: string; id: string }[];
    };
    expect(document.subscriptionId).toBe(subscriptionId());
    expect(sortedByName(document.resourceGroups.map(({ name, location }) => ({ name, location })))).toEqual(
      groupsInWorld(),
    );
    for (const group of document.resourceGroups) {
      expect(group.id.toLowerCase()).toBe(
        `/subscriptions/${subscriptionId()}/resourcegroups/${group.name}`.toLowerCase(),
      );
    }
    expect(result.stderr).toContain("Signed in as the system-assigned identity");
  });

  it("--subscription-id wins over the instance metadata, which is then not asked", async () => {
    const result = await sample.run(["--subscription-id", subscriptionId()]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Subscription ${subscriptionId()} (from flag)`);
    expect(result.tally.imdsMetadata).toBe(0);
  });
});
