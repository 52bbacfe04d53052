// The sample reads the secret from the vault (after Key Vault's 401 challenge), keeps its value masked unless
// --show-secret, lists the subscription's groups, and asks IMDS for exactly one token per audience.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import { describeRun, identitiesOf, sampleRunner } from "../../../scripts/test/support/sample-end-to-end.ts";

describe("keyvault-and-resource-groups reads a secret and lists resource groups", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("keyvault-and-resource-groups", emulator);
  });
  afterAll(() => emulator.stop());

  const vault = () => emulator.scenario.keyVaults[0]!;
  const secret = () => vault().secrets[0]!;
  const flags = () => ["--vault-name", vault().name, "--secret-name", secret().name];
  const subscriptionId = () => emulator.scenario.vm.subscriptionId;
  const groupsInWorld = () =>
    emulator.world
      .listResourceGroups(subscriptionId())
      .map((g) => ({ name: g.name, location: g.location }))
      .sort((a, b) => a.name.localeCompare(b.name));

  it("masks the value, lists the groups, and uses one token for ARM and one for Key Vault", async () => {
    const result = await run(flags());
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
    expect(read?.principal?.objectId).toBe(identitiesOf(emulator).system.principalId);
  });

  it("--show-secret prints the value", async () => {
    const result = await run([...flags(), "--show-secret"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`: ${secret().value}`);
  });

  it("--json prints one document with the masked value; vault and secret from the environment", async () => {
    const result = await run(["--json"], {
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
    expect(document.principal.objectId).toBe(identitiesOf(emulator).system.principalId);
    expect(document.subscriptionId).toBe(subscriptionId());
    expect([...document.resourceGroups].sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      groupsInWorld(),
    );
    expect(`${result.stdout}${result.stderr}`).not.toContain(secret().value);
  });

  it("a secret the vault does not hold: exit 1 with Key Vault's SecretNotFound", async () => {
    const result = await run(["--vault-name", vault().name, "--secret-name", "no-such-secret"]);
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).toMatch(/SecretNotFound|was not found/);
  });
});
