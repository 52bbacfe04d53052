// user-assigned-identity end to end against the emulator: the identity and subscription it chooses and the groups
// it lists, with a missing role, on bad input, and through IMDS faults (those tests wait on retries, concurrently).

import { tokenRequestSelector, tokenRequests } from "@msi-samples/sample-runner";
import {
  defaultScenarioWith,
  describeRun,
  expectIdentityNotOnVm,
  expectRejectedBeforeAnyRequest,
  expectRoleAssignmentHint,
  expectSignedInWithSelector,
  imdsGoneBriefly,
  MISSING_ROLE_SCENARIO,
  resourceGroupsInWorld,
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
describe.concurrent("user-assigned-identity", () => {
  describe("one run at a time", { concurrent: false }, () => {
    // With no selector the sample signs in as the system-assigned identity, discovers the one subscription the identity
    // can see through the subscriptions API (no instance metadata needed), and lists exactly that subscription's groups.
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

    // --client-id, --object-id and --resource-id (and AZURE_CLIENT_ID) each sign in as the VM's user-assigned identity
    // with the matching IMDS query parameter; an identity not assigned to the VM is explained (exit 1).
    describe("user-assigned-identity signs in as the identity a selector names", () => {
      const sample = sampleAgainstEmulator("user-assigned-identity");

      it.each(userAssignedSelectors(sample))("$flag sends $parameter to IMDS", async (selector) => {
        const { user } = sample.identities;
        const result = await sample.run([selector.flag, selector.value(), "--json"]);
        expectSignedInWithSelector(result, { selector, user });
        expect(result.stderr).toContain(
          `Using the user-assigned identity with ${selector.label} ${selector.value()}.`,
        );
        const document = JSON.parse(result.stdout) as { principal: { objectId: string; clientId: string } };
        expect(document.principal).toMatchObject({ objectId: user.principalId, clientId: user.clientId });
        expect(
          new Set(result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId)),
        ).toEqual(new Set([user.principalId]));
      });

      it("AZURE_CLIENT_ID chooses the identity when no flag does", async () => {
        const { user } = sample.identities;
        const result = await sample.run([], { env: { AZURE_CLIENT_ID: user.clientId } });
        expect(result.status, describeRun(result)).toBe(0);
        expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([
          { client_id: user.clientId },
        ]);
      });

      it("an object ID that names no identity on the VM: exit 1 and what to check", async () => {
        const unknown = "7b2e4d6f-8a1c-4e3b-9d5f-0a2c4e6b8d1f";
        expectIdentityNotOnVm(await sample.run(["--object-id", unknown]), {
          flag: "--object-id",
          value: unknown,
        });
      });
    });

    // On a VM with no system-assigned identity and one user-assigned identity, no selector makes IMDS use that one: the
    // "Using" line says so (from the token's claims), rather than naming the system-assigned identity the flags imply.
    describe("user-assigned-identity on a VM whose only identity is user-assigned", () => {
      const sample = sampleAgainstEmulator("user-assigned-identity", {
        scenario: defaultScenarioWith((scenario) => {
          (scenario.vm as { systemAssignedIdentity: unknown }).systemAssignedIdentity = null;
          scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "system");
        }),
      });

      it("without a selector: names the user-assigned identity it signed in as", async () => {
        const result = await sample.run();
        expect(result.status, describeRun(result)).toBe(0);
        expect(result.stdout).toContain(
          "Using the user-assigned identity 'id-msi-samples', the VM's only identity (no --client-id, --object-id or --resource-id given).",
        );
        expect(result.stdout).toContain("Signed in as user-assigned identity 'id-msi-samples'");
        expect(result.stdout).not.toContain("system-assigned");
      });
    });

    // Discovery says what it does when the identity sees several subscriptions (the VM's own wins; otherwise the user
    // must choose, exit 2) or none (exit 1 with the role assignment that fixes it).
    const workshop = "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37";
    const finance = "b5e1d7c9-2a63-4f08-b94e-0d7f3a18c652";

    describe("user-assigned-identity when the identity sees several subscriptions or none", () => {
      // The system-assigned identity also reads "Finance production"; the user-assigned one reads only that one.
      // A third identity (by object ID, not on the VM) is irrelevant here; the missing-role case has its own file.
      const sample = sampleAgainstEmulator("user-assigned-identity", {
        scenario: defaultScenarioWith((scenario) => {
          scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "id-msi-samples");
          scenario.roleAssignments.push(
            { principal: "system", role: "Reader", scope: `/subscriptions/${finance}` },
            { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${finance}` },
          );
        }),
      });

      it("several, the VM's own among them: uses the VM's own", async () => {
        const result = await sample.run();
        expect(result.status, describeRun(result)).toBe(0);
        expect(result.stdout).toContain(
          `Using subscription ${workshop} (the VM's own subscription, one of 2 the identity can see).`,
        );
        expect(result.tally.imdsMetadata).toBe(1);
      });

      it("one that is not the VM's: uses it", async () => {
        const result = await sample.run(["--client-id", sample.identities.user.clientId]);
        expect(result.status, describeRun(result)).toBe(0);
        expect(result.stdout).toContain(
          `Using subscription ${finance} (the only subscription the identity can see).`,
        );
        expect(result.stdout).toContain("rg-finance-prod (eastus2)");
      });
    });

    describe("user-assigned-identity when the identity sees several subscriptions, none of them the VM's", () => {
      const third = "6a1c9e3f-0b2d-4f58-9c7e-1d3b5a7f9e02";
      const sample = sampleAgainstEmulator("user-assigned-identity", {
        scenario: defaultScenarioWith((scenario) => {
          scenario.subscriptions.push({ id: third, displayName: "Sandbox" });
          scenario.roleAssignments = scenario.roleAssignments.filter((a) => a.principal !== "id-msi-samples");
          scenario.roleAssignments.push(
            { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${finance}` },
            { principal: "id-msi-samples", role: "Reader", scope: `/subscriptions/${third}` },
          );
        }),
      });

      it("asks for --subscription-id, listing them (exit 2)", async () => {
        const result = await sample.run(["--client-id", sample.identities.user.clientId]);
        expect(result.status, describeRun(result)).toBe(2);
        expect(result.stderr).toContain(
          "The identity can see 2 subscriptions; choose one with --subscription-id",
        );
        expect(result.stderr).toContain(`${finance}  Finance production`);
        expect(result.stderr).toContain(`${third}  Sandbox`);
        expect(result.requests.filter((e) => /resourcegroups/i.test(e.path))).toEqual([]);
      });
    });

    describe("user-assigned-identity when the identity sees no subscription", () => {
      const sample = sampleAgainstEmulator("user-assigned-identity", { scenario: MISSING_ROLE_SCENARIO });

      it("exits 1 with the command that grants Reader on the VM's subscription", async () => {
        const { user } = sample.identities;
        const result = await sample.run(["--client-id", user.clientId]);
        expect(result.stderr).toContain(
          `The identity (object ID ${user.principalId}) has no role in any subscription.`,
        );
        expectRoleAssignmentHint(result, {
          objectId: user.principalId,
          role: "Reader",
          scope: `/subscriptions/${workshop}`,
        });
      });
    });

    // The system-assigned identity is Reader on one resource group only: ARM answers the subscription's group list with
    // that group alone (200, what the caller may read), so the sample finds the subscription and lists just that group.
    describe("user-assigned-identity with an identity that may read one group of the subscription", () => {
      const sample = sampleAgainstEmulator("user-assigned-identity", { scenario: MISSING_ROLE_SCENARIO });

      it("lists only the group its role covers", async () => {
        const result = await sample.run(["--json"]);
        expect(result.status, describeRun(result)).toBe(0);
        const listed = JSON.parse(result.stdout) as { resourceGroups: { name: string }[] };
        expect(listed.resourceGroups.map((g) => g.name)).toEqual(["rg-msi-samples"]);
      });
    });

    // Malformed or conflicting identity selectors and a malformed subscription stop the sample with exit 2 and a
    // message naming the setting, before any request reaches IMDS or ARM.
    describe("user-assigned-identity rejects bad input before any request", () => {
      const sample = sampleAgainstEmulator("user-assigned-identity");

      it("a resource ID that is not a user-assigned identity's", async () => {
        const vm = `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}/resourceGroups/rg-msi-samples/providers/Microsoft.Compute/virtualMachines/vm-msi-samples`;
        const result = await sample.run(["--resource-id", vm]);
        expectRejectedBeforeAnyRequest(result, "--resource-id", "userAssignedIdentities");
      });

      it("an object ID that is not a GUID, from AZURE_MANAGED_IDENTITY_OBJECT_ID", async () => {
        const result = await sample.run([], { env: { AZURE_MANAGED_IDENTITY_OBJECT_ID: "id-msi-samples" } });
        expectRejectedBeforeAnyRequest(result, "AZURE_MANAGED_IDENTITY_OBJECT_ID", "id-msi-samples");
      });

      it("a client ID and a resource ID at once", async () => {
        const { user } = sample.identities;
        const result = await sample.run(["--client-id", user.clientId, "--resource-id", user.resourceId]);
        expectRejectedBeforeAnyRequest(result, "--client-id", "--resource-id");
      });

      it("a subscription ID that is not a GUID", async () => {
        const result = await sample.run(["--subscription-id", "Workshop"]);
        expectRejectedBeforeAnyRequest(result, "--subscription-id", "Workshop");
      });
    });
  });
});

// IMDS answering 500 once, or 410 for a moment after the VM starts, is retried and the sample exits 0.
describe.concurrent("user-assigned-identity recovers from transient IMDS faults", () => {
  it("IMDS 500 once", async (context) => {
    const sample = await sampleWithOwnEmulator("user-assigned-identity", context);
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 410 for half a second, for a user-assigned identity", async (context) => {
    const sample = await sampleWithOwnEmulator("user-assigned-identity", context);
    imdsGoneBriefly(sample.emulator, { forMs: 500, context });
    const result = await sample.run(["--client-id", sample.identities.user.clientId]);
    expect(result.status, describeRun(result)).toBe(0);
    const statuses = tokenRequestStatuses(result);
    expect(statuses[0]).toBe(410);
    expect(statuses.at(-1)).toBe(200);
  });
});
