// Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it on
// the resource group, and no vault is created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRoleAssignmentHint,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("create-delete-key-vault with an identity that may only read the resource group", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: "shared/scenarios/missing-role.json" });
    run = sampleRunner("create-delete-key-vault", emulator);
  });
  afterAll(() => emulator.stop());

  it("exits 1 with the command that grants Contributor on the group", async () => {
    const { vm } = emulator.scenario;
    const result = await run(["--yes", "--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Contributor",
      scope: new RegExp(`/subscriptions/${vm.subscriptionId}/resourceGroups/${vm.resourceGroup}`, "i"),
    });
    const vaults = emulator.world.listResources({ type: "Microsoft.KeyVault/vaults" }).map((v) => v.name);
    expect(vaults).toEqual(["kv-msi-samples"]);
  });
});
