// Without a Key Vault data role on the RBAC vault, the sample exits 1 with the `az role assignment create` command
// that grants Key Vault Secrets User on the vault, and prints no token even when asked for stack traces.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRoleAssignmentHint,
  identitiesOf,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("keyvault-and-resource-groups with an identity that may not read the secret", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator({ scenario: "shared/scenarios/missing-role.json" });
    run = sampleRunner("keyvault-and-resource-groups", emulator);
  });
  afterAll(() => emulator.stop());

  it("exits 1 with the command that grants Key Vault Secrets User on the vault", async () => {
    const vault = emulator.scenario.keyVaults[0]!;
    const result = await run([
      "--vault-name",
      vault.name,
      "--secret-name",
      vault.secrets[0]!.name,
      "--verbose",
    ]);
    expectRoleAssignmentHint(result, {
      objectId: identitiesOf(emulator).system.principalId,
      role: "Key Vault Secrets User",
      scope: new RegExp(
        `/subscriptions/${emulator.scenario.vm.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft\\.KeyVault/vaults/${vault.name}`,
        "i",
      ),
    });
  });
});
