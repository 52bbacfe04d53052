// --client-id, --object-id and --resource-id (and AZURE_CLIENT_ID) each sign in as the VM's user-assigned identity
// with the matching IMDS query parameter; an identity not assigned to the VM is explained (exit 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequestSelector, tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("user-assigned-identity signs in as the identity a selector names", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("user-assigned-identity", emulator);
  });
  afterAll(() => emulator.stop());

  const cases = [
    {
      flag: "--client-id",
      parameter: "client_id",
      label: "client ID",
      value: () => identitiesOf(emulator).user.clientId,
    },
    {
      flag: "--object-id",
      parameter: "object_id",
      label: "object ID",
      value: () => identitiesOf(emulator).user.principalId,
    },
    {
      flag: "--resource-id",
      parameter: "msi_res_id",
      label: "resource ID",
      value: () => identitiesOf(emulator).user.resourceId,
    },
  ];
  it.each(cases)("$flag sends $parameter to IMDS", async ({ flag, parameter, label, value }) => {
    const { user } = identitiesOf(emulator);
    const result = await run([flag, value(), "--json"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stderr).toContain(`Using the user-assigned identity with ${label} ${value()}.`);
    const tokens = tokenRequests(result.requests);
    expect(tokens.map(tokenRequestSelector)).toEqual([{ [parameter]: value() }]);
    const document = JSON.parse(result.stdout) as { principal: { objectId: string; clientId: string } };
    expect(document.principal).toMatchObject({ objectId: user.principalId, clientId: user.clientId });
    expect(
      new Set(result.requests.filter((e) => e.service === "arm").map((e) => e.principal?.objectId)),
    ).toEqual(new Set([user.principalId]));
  });

  it("AZURE_CLIENT_ID chooses the identity when no flag does", async () => {
    const { user } = identitiesOf(emulator);
    const result = await run([], { env: { AZURE_CLIENT_ID: user.clientId } });
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([{ client_id: user.clientId }]);
  });

  it("an object ID that names no identity on the VM: exit 1 and what to check", async () => {
    const unknown = "7b2e4d6f-8a1c-4e3b-9d5f-0a2c4e6b8d1f";
    const result = await run(["--object-id", unknown]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(
      `IMDS found no user-assigned identity with object ID ${unknown} (from --object-id) on this VM.`,
    );
    expect(result.requests.filter((e) => e.service === "arm")).toEqual([]);
  });
});
