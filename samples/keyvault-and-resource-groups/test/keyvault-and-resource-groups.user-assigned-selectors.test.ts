// --client-id, --object-id and --resource-id each sign in as the user-assigned identity for both audiences (ARM and
// Key Vault) with the matching IMDS query parameter; an identity not on the VM is explained (exit 1).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { tokenRequestSelector, tokenRequests } from "../../../scripts/lib/request-tally.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("keyvault-and-resource-groups signs in as the identity a selector names", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("keyvault-and-resource-groups", emulator);
  });
  afterAll(() => emulator.stop());

  const vaultFlags = () => {
    const vault = emulator.scenario.keyVaults[0]!;
    return ["--vault-name", vault.name, "--secret-name", vault.secrets[0]!.name];
  };
  const cases = [
    { flag: "--client-id", parameter: "client_id", value: () => identitiesOf(emulator).user.clientId },
    { flag: "--object-id", parameter: "object_id", value: () => identitiesOf(emulator).user.principalId },
    { flag: "--resource-id", parameter: "msi_res_id", value: () => identitiesOf(emulator).user.resourceId },
  ];
  it.each(cases)("$flag sends $parameter to IMDS for both tokens", async ({ flag, parameter, value }) => {
    const { user } = identitiesOf(emulator);
    const result = await run([...vaultFlags(), flag, value()]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Signed in as user-assigned identity '${user.name}'`);
    expect(tokenRequests(result.requests).map(tokenRequestSelector)).toEqual([
      { [parameter]: value() },
      { [parameter]: value() },
    ]);
    const authorized = result.requests.filter((e) => e.status === 200 && e.service !== "imds");
    expect(new Set(authorized.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
  });

  it("a client ID that names no identity on the VM: exit 1 and what to check", async () => {
    const unknown = "2f4a6c8e-0b1d-4f3a-8c5e-7d9b1f3a5c7e";
    const result = await run([...vaultFlags(), "--client-id", unknown]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toContain(
      `IMDS found no user-assigned identity with client ID ${unknown} (from --client-id) on this VM.`,
    );
  });
});
