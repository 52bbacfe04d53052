// --client-id, --object-id and --resource-id each deploy as the user-assigned identity, with the matching IMDS query
// parameter; an identity not on the VM is explained (exit 1) and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequestSelector, tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("deploy-arm-template deploys as the identity a selector names", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("deploy-arm-template", emulator);
  });
  afterAll(() => emulator.stop());

  const cases = [
    { flag: "--client-id", parameter: "client_id", value: () => identitiesOf(emulator).user.clientId },
    { flag: "--object-id", parameter: "object_id", value: () => identitiesOf(emulator).user.principalId },
    { flag: "--resource-id", parameter: "msi_res_id", value: () => identitiesOf(emulator).user.resourceId },
  ];
  it.each(cases)("$flag sends $parameter to IMDS and deploys", async ({ flag, parameter, value }) => {
    const { user } = identitiesOf(emulator);
    const result = await run([flag, value(), "--resource-group", `rg-${parameter.replaceAll("_", "-")}`]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Signed in as user-assigned identity '${user.name}'`);
    expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([{ [parameter]: value() }]);
    const writes = result.requests.filter((e) => e.service === "arm" && e.method === "PUT");
    expect(writes.length).toBeGreaterThan(0);
    expect(new Set(writes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
  });

  it("a resource ID that names no identity on the VM: exit 1, and no group is created", async () => {
    const unknown = identitiesOf(emulator).user.resourceId.replace(/id-msi-samples$/, "id-not-on-this-vm");
    const result = await run(["--resource-id", unknown, "--resource-group", "rg-never-created"]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(`IMDS found no user-assigned identity with resource ID ${unknown}`);
    expect(
      emulator.world.getResourceGroup(emulator.scenario.vm.subscriptionId, "rg-never-created"),
    ).toBeUndefined();
  });
});
