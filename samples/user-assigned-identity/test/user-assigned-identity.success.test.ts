// With no selector the sample signs in as the system-assigned identity, discovers the one subscription the identity
// can see through the subscriptions API (no instance metadata needed), and lists exactly that subscription's groups.

import {
  describeRun,
  resourceGroupsInWorld,
  sampleAgainstEmulator,
  sortedByName,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("user-assigned-identity discovers the subscription and lists its groups", () => {
  const sample = sampleAgainstEmulator("user-assigned-identity");
  const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
  const groupsInWorld = () => resourceGroupsInWorld(sample.emulator);

  it("as the system-assigned identity, in the only subscription it can see", async () => {
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("Using the VM's system-assigned identity.");
    expect(result.stdout).toContain(
      `Using subscription ${subscriptionId()} (the only subscription the identity can see).`,
    );
    for (const group of groupsInWorld())
      expect(result.stdout).toContain(`  ${group.name} (${group.location})`);
    expect(result.stdout).toContain(`${groupsInWorld().length} resource group(s):`);
    expect(result.stdout).not.toContain("rg-finance-prod");
    const arm = result.requests.filter((e) => e.service === "arm").map((e) => `${e.method} ${e.path}`);
    expect(arm).toEqual([
      expect.stringMatching(/^GET \/subscriptions\?api-version=/),
      expect.stringMatching(new RegExp(`^GET /subscriptions/${subscriptionId()}/resourcegroups\\?`, "i")),
    ]);
    expect(result.tally).toMatchObject({ imdsTokens: 1, imdsMetadata: 0 });
  });

  it("--json prints the identity, principal, subscription and groups as one document", async () => {
    const result = await sample.run(["--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    const document = JSON.parse(result.stdout) as {
      identity: { kind: string };
      principal: { objectId: string; tenantId: string };
      subscription: { id: string; source: string };
      resourceGroups: { name: string; location: string }[];
    };
    expect(document.identity).toEqual({ kind: "system-assigned" });
    expect(document.principal).toMatchObject({
      objectId: sample.identities.system.principalId,
      tenantId: sample.emulator.scenario.tenant.id,
    });
    expect(document.subscription).toEqual({
      id: subscriptionId(),
      source: "the only subscription the identity can see",
    });
    expect(sortedByName(document.resourceGroups)).toEqual(groupsInWorld());
  });

  it("--subscription-id skips discovery", async () => {
    const result = await sample.run(["--subscription-id", subscriptionId()]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.filter((e) => e.service === "arm").map((e) => e.path)).not.toContainEqual(
      expect.stringMatching(/^\/subscriptions\?/),
    );
  });
});
