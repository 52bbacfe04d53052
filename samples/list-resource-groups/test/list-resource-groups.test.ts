// list-resource-groups end to end against the emulator: what it lists and how, as which identity, with a missing
// role, on bad input, and through IMDS and ARM faults (those tests wait on retries, so they wait concurrently).

import {
  describeRun,
  expectIdentityNotOnVm,
  expectRejectedBeforeAnyRequest,
  expectRoleAssignmentHint,
  expectSignedInWithSelector,
  imdsGoneBriefly,
  MISSING_ROLE_SCENARIO,
  resourceGroupsInWorld,
  type SampleAgainstEmulator,
  type SampleTestRun,
  sampleAgainstEmulator,
  sampleWithOwnEmulator,
  sortedByName,
  tokenRequestStatuses,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

// Two halves that run side by side: the tests below take turns (each run's requests are read from its describe
// block's emulator, so runs against one emulator must not overlap), while the fault tests further down wait on
// retries, each against an emulator of its own.
describe.concurrent("list-resource-groups", () => {
  describe("one run at a time", { concurrent: false }, () => {
    // The sample lists exactly the resource groups of the VM's subscription, as a table or as JSON, across every page
    // of the list, with one token from IMDS and the subscription taken from the VM's instance metadata.
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
        expect(
          sortedByName(document.resourceGroups.map(({ name, location }) => ({ name, location }))),
        ).toEqual(groupsInWorld());
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

    // --client-id, --object-id and --resource-id each sign in as the VM's user-assigned identity, with the matching
    // IMDS query parameter; an identity that is not on the VM is explained (exit 1).
    describe("list-resource-groups signs in as the user-assigned identity chosen by a selector", () => {
      const sample = sampleAgainstEmulator("list-resource-groups");

      it.each(userAssignedSelectors(sample))(
        "$flag sends $parameter to IMDS and lists the groups",
        async (selector) => {
          const { user } = sample.identities;
          const result = await sample.run([selector.flag, selector.value(), "--json"]);
          expectSignedInWithSelector(result, { selector, user });
          expect(
            result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId),
          ).toEqual([user.principalId]);
          expect((JSON.parse(result.stdout) as { resourceGroups: unknown[] }).resourceGroups).toHaveLength(3);
        },
      );

      it("an identity that is not assigned to the VM: exit 1 and what to check", async () => {
        const unknown = "0d6e1f2a-9b8c-4d7e-a6f5-4c3b2a1d0e9f";
        expectIdentityNotOnVm(await sample.run(["--client-id", unknown]), {
          flag: "--client-id",
          value: unknown,
        });
      });
    });

    // In the missing-role scenario the system-assigned identity is Reader on one resource group: ARM answers the list with
    // that group alone (200, what the caller may read), so the sample succeeds and shows it. The user-assigned identity has
    // no role at all: the sample exits 1 with the `az role assignment create` command that grants Reader on the
    // subscription, and prints no token even when asked for stack traces.
    describe("list-resource-groups with an identity that may not read every group of the subscription", () => {
      const sample = sampleAgainstEmulator("list-resource-groups", { scenario: MISSING_ROLE_SCENARIO });

      it("lists only the group its role covers", async () => {
        const result = await sample.run(["--json"]);
        expect(result.status, describeRun(result)).toBe(0);
        const listed = JSON.parse(result.stdout) as { resourceGroups: { name: string }[] };
        expect(listed.resourceGroups.map((g) => g.name)).toEqual(["rg-msi-samples"]);
      });

      it("exits 1 with the command that grants Reader on the subscription when the identity has no role there", async () => {
        const result = await sample.run(["--verbose", "--client-id", sample.identities.user.clientId]);
        expectRoleAssignmentHint(result, {
          objectId: sample.identities.user.principalId,
          role: "Reader",
          scope: `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}`,
        });
      });
    });

    // Bad input stops the sample with exit 2 and a message naming the setting, before any request reaches IMDS or ARM.
    describe("list-resource-groups rejects bad input before any request", () => {
      const sample = sampleAgainstEmulator("list-resource-groups");

      it("a subscription ID that is not a GUID, from the flag", async () => {
        const result = await sample.run(["--subscription-id", "1234"]);
        expectRejectedBeforeAnyRequest(result, "--subscription-id", "'1234'");
      });

      it("a subscription ID that is not a GUID, from AZURE_SUBSCRIPTION_ID", async () => {
        const result = await sample.run([], { env: { AZURE_SUBSCRIPTION_ID: "my-subscription" } });
        expectRejectedBeforeAnyRequest(result, "AZURE_SUBSCRIPTION_ID", "'my-subscription'");
      });

      // The subscription falls back to instance metadata, but a malformed flag needs no answer from IMDS to be refused.
      it("a client ID that is not a GUID, with the subscription left to instance metadata", async () => {
        const result = await sample.run(["--client-id", "not-a-guid"]);
        expectRejectedBeforeAnyRequest(result, "--client-id", "not-a-guid");
      });

      it("two identity selectors at once", async () => {
        const result = await sample.run([
          "--subscription-id",
          sample.emulator.scenario.vm.subscriptionId,
          "--client-id",
          "5d8b2f6a-3e1c-4b97-a6d0-8f2c4e9a1b73",
          "--object-id",
          "f2c6a0e8-4b7d-4d15-8a39-1e5b7c3f9d60",
        ]);
        expectRejectedBeforeAnyRequest(result, "--client-id", "--object-id");
      });

      it("an unknown flag", async () => {
        expectRejectedBeforeAnyRequest(await sample.run(["--subscription", "x"]), "--subscription", "--help");
      });
    });
  });
});

// IMDS answering 410 (just after a VM starts), 500 or 429, and ARM answering 429, are retried: the sample still
// lists the groups and exits 0.
describe.concurrent("list-resource-groups recovers from transient faults", () => {
  const subscription = (sample: SampleAgainstEmulator) => [
    "--subscription-id",
    sample.emulator.scenario.vm.subscriptionId,
  ];

  it("IMDS 410 for half a second: the token request is retried", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    imdsGoneBriefly(sample.emulator, { forMs: 500, context });
    const result = await sample.run(subscription(sample));
    expect(result.status, describeRun(result)).toBe(0);
    const tokenStatuses = tokenRequestStatuses(result);
    expect(tokenStatuses[0]).toBe(410);
    expect(tokenStatuses.at(-1)).toBe(200);
  });

  it("IMDS 410 for half a second, with the subscription read from instance metadata", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    imdsGoneBriefly(sample.emulator, { forMs: 500, context });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests[0]).toMatchObject({ service: "imds", status: 410 });
    expect(result.stdout).toContain("(from instance metadata)");
  });

  it("IMDS 500 once, then 429 with Retry-After once", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    sample.emulator.setFaults({
      imdsServerErrors: { count: 1 },
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
    });
    const result = await sample.run(subscription(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([429, 500, 200]);
  });

  it("ARM 429 with Retry-After once", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    sample.emulator.setFaults({ armTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await sample.run(subscription(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.filter((e) => e.service === "arm").map((e) => e.status)).toEqual([429, 200]);
  });
});

// The subscription taken from the VM's instance metadata survives IMDS answering 410 (being updated, for longer than
// a few seconds), 429 with Retry-After and 500, as the token request does; when IMDS keeps failing until the
// managed-identity deadline, the sample exits 1 with what IMDS said, not 2 as if a setting were missing.
const metadataStatuses = (run: SampleTestRun) =>
  run.requests
    .filter((e) => e.service === "imds" && e.path.includes("/metadata/instance"))
    .map((e) => e.status);

describe.concurrent("list-resource-groups reads instance metadata through IMDS faults", () => {
  it("IMDS answers 410 for 6 s: asked again until it answers", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    // 6 s from the first 410 rather than from now: a slow process start cannot shorten the window.
    imdsGoneBriefly(sample.emulator, { forMs: 6_000, context });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("(from instance metadata)");
    const statuses = metadataStatuses(result);
    expect(statuses[0]).toBe(410);
    expect(statuses.at(-1)).toBe(200);
  });

  it("IMDS answers 429 with Retry-After three times, then 500 three times", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    sample.emulator.setFaults({
      imdsTooManyRequests: { count: 3, retryAfterSeconds: 1 },
      imdsServerErrors: { count: 3 },
    });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(metadataStatuses(result)).toEqual([429, 429, 429, 500, 500, 500, 200]);
  });

  it("IMDS keeps answering 410 past the deadline: exit 1 with IMDS's answer, not a missing setting", async (context) => {
    const sample = await sampleWithOwnEmulator("list-resource-groups", context);
    sample.emulator.setFaults({ imdsGoneForSeconds: 600 });
    const result = await sample.run([], { env: { AZURE_MANAGED_IDENTITY_TIMEOUT_MS: "2000" } });
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain("answered 410");
    expect(result.stderr).toContain("deadline 2 s, AZURE_MANAGED_IDENTITY_TIMEOUT_MS");
    expect(result.stderr).not.toContain("Missing");
  });
});
