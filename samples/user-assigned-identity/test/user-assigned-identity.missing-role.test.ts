// The system-assigned identity can see the subscription (it reads one resource group) but may not list its
// groups: exit 1 with the `az role assignment create` command that grants Reader on the subscription.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRoleAssignmentHint,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity with an identity that may not list the subscription's groups", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: "shared/scenarios/missing-role.json" });
    run = sampleRunner("user-assigned-identity", emulator);
  });
  afterAll(() => emulator.stop());

  it("exits 1 with the command that grants Reader on the subscription", async () => {
    expectRoleAssignmentHint(await run(["--verbose"]), {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Reader",
      scope: `/subscriptions/${emulator.scenario.vm.subscriptionId}`,
    });
  });
});
