// Malformed or conflicting identity selectors and a malformed subscription stop the sample with exit 2 and a
// message naming the setting, before any request reaches IMDS or ARM.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRejectedBeforeAnyRequest,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity rejects bad input before any request", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("user-assigned-identity", emulator);
  });
  afterAll(() => emulator.stop());

  it("a resource ID that is not a user-assigned identity's", async () => {
    const vm = `/subscriptions/${emulator.scenario.vm.subscriptionId}/resourceGroups/rg-msi-samples/providers/Microsoft.Compute/virtualMachines/vm-msi-samples`;
    expectRejectedBeforeAnyRequest(
      await run(["--resource-id", vm]),
      "--resource-id",
      "userAssignedIdentities",
    );
  });

  it("an object ID that is not a GUID, from AZURE_MANAGED_IDENTITY_OBJECT_ID", async () => {
    const result = await run([], { env: { AZURE_MANAGED_IDENTITY_OBJECT_ID: "id-msi-samples" } });
    expectRejectedBeforeAnyRequest(result, "AZURE_MANAGED_IDENTITY_OBJECT_ID", "id-msi-samples");
  });

  it("a client ID and a resource ID at once", async () => {
    const { user } = identitiesOf(emulator);
    const result = await run(["--client-id", user.clientId, "--resource-id", user.resourceId]);
    expectRejectedBeforeAnyRequest(result, "--client-id", "--resource-id");
  });

  it("a subscription ID that is not a GUID", async () => {
    expectRejectedBeforeAnyRequest(
      await run(["--subscription-id", "Workshop"]),
      "--subscription-id",
      "Workshop",
    );
  });
});
