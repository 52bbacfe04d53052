// The sample reads the secret from the vault (after Key Vault's 401 challenge), keeps its value masked unless
// --show-secret, lists the subscription's groups, and asks IMDS for exactly one token per audience.

import {
  describeRun,
  resourceGroupsInWorld,
  sampleAgainstEmulator,
  sortedByName,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { scenarioVault, scenarioVaultFlags } from "./scenario-vault.ts";

describe("keyvault-and-resource-groups reads a secret and lists resource groups", () => {
  const sample = sampleAgainstEmulator("keyvault-and-resource-groups");
  const vault = () => scenarioVault(sample.emulator);
  const secret = () => vault().secret;
  const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
  const groupsInWorld = () => resourceGroupsInWorld(sample.emulator);

  it("without --secret-name reads sample-secret, the secret the lab template and the emulator create", async () => {
    const result = await sample.run(["--vault-name", vault().name]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Secret 'sample-secret' from https://${vault().name}.vault.azure.net`);
  });

  it("masks the value, lists the groups, and uses one token for ARM and one for Key Vault", async () => {
    const result = await sample.run(scenarioVaultFlags(sample.emulator));
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain("Signed in as the system-assigned identity of VM 'vm-msi-samples'");
    expect(result.stdout).toMatch(
      new RegExp(
        `Secret '${secret().name}' from https://${vault().name}\\.vault\\.azure\\.net \\(version \\w+\\): `,
      ),
    );
    expect(result.stdout).toContain("(masked; pass --show-secret to print the value)");
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret().value);
    expect(result.stdout).toContain(
      `Resource groups in subscription ${subscriptionId()} (from instance metadata):`,
    );
    for (const group of groupsInWorld())
      expect(result.stdout).toContain(`  ${group.name} (${group.location})`);

    expect(result.tally).toMatchObject({
      imdsTokens: 2,
      audiences: ["https://management.azure.com", "https://vault.azure.net"],
      arm: 1,
    });
    // The SDK's first Key Vault request carries no token; the 401 challenge tells it which one to get.
    expect(result.requests.filter((e) => e.service === "keyvault").map((e) => e.status)).toEqual([401, 200]);
    const read = result.requests.find((e) => e.service === "keyvault" && e.status === 200);
    expect(read?.principal?.objectId).toBe(sample.identities.system.principalId);
  });

  it("--show-secret prints the value", async () => {
    const result = await sample.run([...scenarioVaultFlags(sample.emulator), "--show-secret"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`: ${secret().value}`);
  });

  it("--json prints one document with the masked value; vault and secret from the environment", async () => {
    const result = await sample.run(["--json"], {
      env: { KEY_VAULT_NAME: vault().name, KEY_VAULT_SECRET_NAME: secret().name },
    });
    expect(result.status, describeRun(result)).toBe(0);
    const document = JSON.parse(result.stdout) as {
      principal: { objectId: string };
      vaultUrl: string;
      secret: { name: string; version: string; value: string; masked: boolean };
      subscriptionId: string;
      resourceGroups: { name: string; location: string }[];
    };
    expect(document.vaultUrl).toBe(`https://${vault().name}.vault.azure.net`);
    expect(document.secret).toMatchObject({ name: secret().name, masked: true });
    expect(document.secret.value).not.toBe(secret().value);
    expect(document.principal.objectId).toBe(sample.identities.system.principalId);
    expect(document.subscriptionId).toBe(subscriptionId());
    expect(sortedByName(document.resourceGroups)).toEqual(groupsInWorld());
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret().value);
  });

  it("a secret the vault does not hold: exit 1 with Key Vault's SecretNotFound", async () => {
    const result = await sample.run(["--vault-name", vault().name, "--secret-name", "no-such-secret"]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/SecretNotFound|was not found/);
  });
});
