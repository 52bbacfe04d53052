// Malformed or conflicting identity selectors and a malformed subscription stop the sample with exit 2 and a
// message naming the setting, before any request reaches IMDS or ARM.

import { expectRejectedBeforeAnyRequest, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";

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
