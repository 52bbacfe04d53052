// --client-id, --object-id and --resource-id each deploy as the user-assigned identity, with the matching IMDS query
// parameter; an identity not on the VM is explained (exit 1) and nothing is created.

import {
  expectIdentityNotOnVm,
  expectSignedInWithSelector,
  sampleAgainstEmulator,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("deploy-arm-template deploys as the identity a selector names", () => {
  const sample = sampleAgainstEmulator("deploy-arm-template");

  it.each(userAssignedSelectors(sample))("$flag sends $parameter to IMDS and deploys", async (selector) => {
    const { user } = sample.identities;
    const resourceGroup = `rg-${selector.parameter.replaceAll("_", "-")}`;
    const result = await sample.run([selector.flag, selector.value(), "--resource-group", resourceGroup]);
    expectSignedInWithSelector(result, { selector, user });
    const writes = result.requests.filter((e) => e.service === "arm" && e.method === "PUT");
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
  });

  it("a resource ID that names no identity on the VM: exit 1, and no group is created", async () => {
    const unknown = sample.identities.user.resourceId.replace(/id-msi-samples$/, "id-not-on-this-vm");
    const result = await sample.run(["--resource-id", unknown, "--resource-group", "rg-never-created"]);
    expectIdentityNotOnVm(result, { flag: "--resource-id", value: unknown });
    const { subscriptionId } = sample.emulator.scenario.vm;
    expect(sample.emulator.world.getResourceGroup(subscriptionId, "rg-never-created")).toBeUndefined();
  });
});
