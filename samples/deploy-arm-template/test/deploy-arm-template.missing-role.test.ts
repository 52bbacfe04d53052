// Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it, and
// nothing is deployed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRoleAssignmentHint,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("deploy-arm-template with an identity that may only read one resource group", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: "shared/scenarios/missing-role.json" });
    run = sampleRunner("deploy-arm-template", emulator);
  });
  afterAll(() => emulator.stop());

  const storageAccounts = () => emulator.world.listResources({ type: "Microsoft.Storage/storageAccounts" });

  it("into a new group (it may not even see whether it exists): Contributor on the subscription", async () => {
    const result = await run(["--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Contributor",
      scope: `/subscriptions/${emulator.scenario.vm.subscriptionId}`,
    });
    expect(
      emulator.world.getResourceGroup(emulator.scenario.vm.subscriptionId, "msi-sample-rg"),
    ).toBeUndefined();
  });

  it("into the group it may read: Contributor on that group", async () => {
    const result = await run(["--resource-group", "rg-msi-samples"]);
    expectRoleAssignmentHint(result, {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Contributor",
      scope: new RegExp(
        `/subscriptions/${emulator.scenario.vm.subscriptionId}/resourceGroups/rg-msi-samples`,
        "i",
      ),
    });
    expect(storageAccounts()).toEqual([]);
  });
});
