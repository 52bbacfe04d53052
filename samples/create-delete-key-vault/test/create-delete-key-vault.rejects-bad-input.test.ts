// A run nobody can confirm (no --yes, no terminal), a vault name Azure would refuse, or a region written as a
// display name stop the sample with exit 2 and a message naming the setting, before any request.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRejectedBeforeAnyRequest,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("create-delete-key-vault rejects bad input before any request", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("create-delete-key-vault", emulator);
  });
  afterAll(() => emulator.stop());

  it("not on a terminal and no --yes", async () => {
    expectRejectedBeforeAnyRequest(await run(), "--yes");
  });

  it("a vault name Azure would refuse", async () => {
    expectRejectedBeforeAnyRequest(
      await run(["--yes", "--vault-name", "1st-vault"]),
      "--vault-name",
      "'1st-vault'",
    );
  });

  it("a region written as a display name", async () => {
    const { vm } = emulator.scenario;
    const result = await run([
      "--yes",
      "--subscription-id",
      vm.subscriptionId,
      "--resource-group",
      vm.resourceGroup,
      "--location",
      "West US 2",
    ]);
    expectRejectedBeforeAnyRequest(result, "--location", "'West US 2'");
  });

  it("an object ID that is not a GUID", async () => {
    expectRejectedBeforeAnyRequest(await run(["--yes", "--object-id", "12345"]), "--object-id", "12345");
  });
});
