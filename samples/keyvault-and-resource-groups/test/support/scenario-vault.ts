// The vault and secret of the emulator's scenario that this sample reads, and the flags that name them.
import type { Emulator } from "@msi-samples/emulator";

export function scenarioVault(emulator: Emulator): {
  name: string;
  resourceGroup: string;
  secret: { name: string; value: string };
} {
  const vault = emulator.scenario.keyVaults[0];
  const secret = vault?.secrets[0];
  if (!vault || !secret) throw new Error("The scenario needs a vault with a secret.");
  return { name: vault.name, resourceGroup: vault.resourceGroup, secret };
}

/** `--vault-name` and `--secret-name` of the scenario's vault and secret. */
export function scenarioVaultFlags(emulator: Emulator): string[] {
  const vault = scenarioVault(emulator);
  return ["--vault-name", vault.name, "--secret-name", vault.secret.name];
}
