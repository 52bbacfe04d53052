// With no selector the sample signs in as the system-assigned identity, discovers the one subscription the identity
// can see through the subscriptions API (no instance metadata needed), and lists exactly that subscription's groups.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity discovers the subscription and lists its groups", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("user-assigned-identity", emulator);
  });
  afterAll(() => emulator.stop());

  const subscriptionId = () => emulator.scenario.vm.subscriptionId;
  const groupsInWorld = () =>
    emulator.world
      .listResourceGroups(subscriptionId())
      .map((g) => ({ name: g.name, location: g.location }))
      .sort((a, b) => a.name.localeCompare(b.name));

  it("as the system-assigned identity, in the only subscription it can see", async () => {
    const result = await run();
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
    const result = await run(["--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    const document = JSON.parse(result.stdout) as {
      identity: { kind: string };
      principal: { objectId: string; tenantId: string };
      subscription: { id: string; source: string };
      resourceGroups: { name: string; location: string }[];
    };
    expect(document.identity).toEqual({ kind: "system-assigned" });
    expect(document.principal).toMatchObject({
      objectId: identitiesOf(emulator).system.principalId,
      tenantId: emulator.scenario.tenant.id,
    });
    expect(document.subscription).toEqual({
      id: subscriptionId(),
      source: "the only subscription the identity can see",
    });
    expect([...document.resourceGroups].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      groupsInWorld(),
    );
  });

  it("--subscription-id skips discovery", async () => {
    const result = await run(["--subscription-id", subscriptionId()]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.filter((e) => e.service === "arm").map((e) => e.path)).not.toContainEqual(
      expect.stringMatching(/^\/subscriptions\?/),
    );
  });
});
