// Without a Key Vault data role on the RBAC vault, the sample exits 1 with the `az role assignment create` command
// that grants Key Vault Secrets User on the vault, and prints no token even when asked for stack traces.

import {
  expectRoleAssignmentHint,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
} from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";
import { scenarioVault, scenarioVaultFlags } from "./scenario-vault.ts";

describe("keyvault-and-resource-groups with an identity that may not read the secret", () => {
  const sample = sampleAgainstEmulator("keyvault-and-resource-groups", { scenario: MISSING_ROLE_SCENARIO });

  it("exits 1 with the command that grants Key Vault Secrets User on the vault", async () => {
    const vault = scenarioVault(sample.emulator);
    const result = await sample.run([...scenarioVaultFlags(sample.emulator), "--verbose"]);
    expectRoleAssignmentHint(result, {
      objectId: sample.identities.system.principalId,
      role: "Key Vault Secrets User",
      scope: new RegExp(
        `/subscriptions/${sample.emulator.scenario.vm.subscriptionId}/resourceGroups/${vault.resourceGroup}/providers/Microsoft\\.KeyVault/vaults/${vault.name}`,
        "i",
      ),
    });
  });
});
