// Without a role on the subscription, the sample exits 1 and prints the `az role assignment create` command that
// grants the identity Reader there, and prints no token even when asked for stack traces.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRoleAssignmentHint,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("list-resource-groups with an identity that may not list the subscription's groups", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: "shared/scenarios/missing-role.json" });
    run = sampleRunner("list-resource-groups", emulator);
  });
  afterAll(() => emulator.stop());

  it("exits 1 with the command that grants Reader on the subscription", async () => {
    const result = await run(["--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Reader",
      scope: `/subscriptions/${emulator.scenario.vm.subscriptionId}`,
    });
  });
});
