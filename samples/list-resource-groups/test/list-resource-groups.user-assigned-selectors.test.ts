// --client-id, --object-id and --resource-id each sign in as the VM's user-assigned identity, with the matching
// IMDS query parameter; an identity that is not on the VM is explained (exit 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequestSelector, tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("list-resource-groups signs in as the user-assigned identity chosen by a selector", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("list-resource-groups", emulator);
  });
  afterAll(() => emulator.stop());

  const cases = [
    { flag: "--client-id", parameter: "client_id", value: () => identitiesOf(emulator).user.clientId },
    { flag: "--object-id", parameter: "object_id", value: () => identitiesOf(emulator).user.principalId },
    { flag: "--resource-id", parameter: "msi_res_id", value: () => identitiesOf(emulator).user.resourceId },
  ];
  it.each(cases)(
    "$flag sends $parameter to IMDS and lists the groups",
    async ({ flag, parameter, value }) => {
      const result = await run([flag, value(), "--json"]);
      expect(result.status, describeRun(result)).toBe(0);
      expect(result.stderr).toContain(
        `Signed in as user-assigned identity '${identitiesOf(emulator).user.name}'`,
      );
      const [token, ...more] = tokenRequests(result.requests);
      expect(more).toEqual([]);
      expect(tokenRequestSelector(token!)).toEqual({ [parameter]: value() });
      expect(result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId)).toEqual([
        identitiesOf(emulator).user.principalId,
      ]);
      expect((JSON.parse(result.stdout) as { resourceGroups: unknown[] }).resourceGroups).toHaveLength(3);
    },
  );

  it("an identity that is not assigned to the VM: exit 1 and what to check", async () => {
    const unknown = "0d6e1f2a-9b8c-4d7e-a6f5-4c3b2a1d0e9f";
    const result = await run(["--client-id", unknown]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(
      `IMDS found no user-assigned identity with client ID ${unknown} (from --client-id) on this VM.`,
    );
    expect(result.stderr).toContain("az vm identity assign");
    expect(result.requests.filter((e) => e.service === "arm")).toEqual([]);
  });
});
