// --client-id, --object-id and --resource-id each create and delete the vault as the user-assigned identity, with
// the matching IMDS query parameter; an identity not on the VM is explained (exit 1) and nothing is created.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequestSelector, tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("create-delete-key-vault works as the identity a selector names", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("create-delete-key-vault", emulator);
  });
  afterAll(() => emulator.stop());

  const cases = [
    { flag: "--client-id", parameter: "client_id", value: () => identitiesOf(emulator).user.clientId },
    { flag: "--object-id", parameter: "object_id", value: () => identitiesOf(emulator).user.principalId },
    { flag: "--resource-id", parameter: "msi_res_id", value: () => identitiesOf(emulator).user.resourceId },
  ];
  it.each(cases)(
    "$flag sends $parameter to IMDS, creates and deletes",
    async ({ flag, parameter, value }) => {
      const { user } = identitiesOf(emulator);
      const result = await run(["--yes", flag, value()]);
      expect(result.status, describeRun(result)).toBe(0);
      expect(result.stdout).toContain(`Signed in as user-assigned identity '${user.name}'`);
      expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([{ [parameter]: value() }]);
      const changes = result.requests.filter(
        (e) => e.service === "arm" && ["PUT", "DELETE"].includes(e.method),
      );
      expect(changes.map((e) => e.method)).toEqual(["PUT", "DELETE"]);
      expect(new Set(changes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
    },
  );

  it("a client ID that names no identity on the VM: exit 1, and no vault is created", async () => {
    const unknown = "9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d";
    const result = await run(["--yes", "--client-id", unknown]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(`IMDS found no user-assigned identity with client ID ${unknown}`);
    expect(result.requests.filter((e) => e.service === "arm")).toEqual([]);
  });
});
