// keyvault-and-resource-groups end to end against the emulator: the secret and the groups it reads, as which
// identity, with a missing role, on bad input, and through IMDS faults (those tests wait on retries, concurrently).

import {
  describeRun,
  expectIdentityNotOnVm,
  expectRejectedBeforeAnyRequest,
  expectRoleAssignmentHint,
  expectSignedInWithSelector,
  imdsGoneBriefly,
  MISSING_ROLE_SCENARIO,
  resourceGroupsInWorld,
  type SampleAgainstEmulator,
  sampleAgainstEmulator,
  sampleWithOwnEmulator,
  sortedByName,
  tokenRequestStatuses,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { scenarioVault, scenarioVaultFlags } from "./support/scenario-vault.ts";

// Two halves that run side by side: the tests below take turns (each run's requests are read from its describe
// block's emulator, so runs against one emulator must not overlap), while the fault tests further down wait on
// retries, each against an emulator of its own.
describe.concurrent("keyvault-and-resource-groups", () => {
  describe("one run at a time", { concurrent: false }, () => {
    // The sample reads the secret from the vault (after Key Vault's 401 challenge), keeps its value masked unless
    // --show-secret, lists the subscription's groups, and asks IMDS for exactly one token per audience.
    describe("keyvault-and-resource-groups reads a secret and lists resource groups", () => {
      const sample = sampleAgainstEmulator("keyvault-and-resource-groups");
      const vault = () => scenarioVault(sample.emulator);
      const secret = () => vault().secret;
      const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
      const groupsInWorld = () => resourceGroupsInWorld(sample.emulator);

      it("without --secret-name reads sample-secret, the secret the lab template and the emulator create", async () => {
        const result = await sample.run(["--vault-name", vault().name]);
        expect(result.status, describeRun(result)).toBe(0);
        expect(result.stdout).toContain(
          `Secret 'sample-secret' from https://${vault().name}.vault.azure.net`,
        );
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
        expect(result.requests.filter((e) => e.service === "keyvault").map((e) => e.status)).toEqual([
          401, 200,
        ]);
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

    // --client-id, --object-id and --resource-id each sign in as the user-assigned identity for both audiences (ARM and
    // Key Vault) with the matching IMDS query parameter; an identity not on the VM is explained (exit 1).
    describe("keyvault-and-resource-groups signs in as the identity a selector names", () => {
      const sample = sampleAgainstEmulator("keyvault-and-resource-groups");

      it.each(userAssignedSelectors(sample))(
        "$flag sends $parameter to IMDS for both tokens",
        async (selector) => {
          const { user } = sample.identities;
          const result = await sample.run([
            ...scenarioVaultFlags(sample.emulator),
            selector.flag,
            selector.value(),
          ]);
          expectSignedInWithSelector(result, { selector, user, tokens: 2 });
          const authorized = result.requests.filter((e) => e.status === 200 && e.service !== "imds");
          expect(new Set(authorized.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
        },
      );

      it("a client ID that names no identity on the VM: exit 1 and what to check", async () => {
        const unknown = "2f4a6c8e-0b1d-4f3a-8c5e-7d9b1f3a5c7e";
        const result = await sample.run([...scenarioVaultFlags(sample.emulator), "--client-id", unknown]);
        expectIdentityNotOnVm(result, { flag: "--client-id", value: unknown });
      });
    });

    // Without a Key Vault data role on the RBAC vault, the sample exits 1 with the `az role assignment create` command
    // that grants Key Vault Secrets User on the vault, and prints no token even when asked for stack traces.
    describe("keyvault-and-resource-groups with an identity that may not read the secret", () => {
      const sample = sampleAgainstEmulator("keyvault-and-resource-groups", {
        scenario: MISSING_ROLE_SCENARIO,
      });

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

    // A missing or malformed vault name, a malformed secret name, subscription or client ID stop the sample with exit 2
    // and a message naming the setting, before any request reaches IMDS, Key Vault or ARM.
    describe("keyvault-and-resource-groups rejects bad input before any request", () => {
      const sample = sampleAgainstEmulator("keyvault-and-resource-groups");

      it("no vault name, and no terminal to ask on", async () => {
        expectRejectedBeforeAnyRequest(await sample.run(), "--vault-name", "KEY_VAULT_NAME");
      });

      it("a vault name Key Vault would refuse", async () => {
        expectRejectedBeforeAnyRequest(
          await sample.run(["--vault-name", "1vault"]),
          "--vault-name",
          "'1vault'",
        );
      });

      it("a secret name Key Vault would refuse, from KEY_VAULT_SECRET_NAME", async () => {
        const result = await sample.run(["--vault-name", "kv-msi-samples"], {
          env: { KEY_VAULT_SECRET_NAME: "my_secret" },
        });
        expectRejectedBeforeAnyRequest(result, "KEY_VAULT_SECRET_NAME", "'my_secret'");
      });

      it("a subscription ID that is not a GUID", async () => {
        const result = await sample.run(["--vault-name", "kv-msi-samples", "--subscription-id", "1234"]);
        expectRejectedBeforeAnyRequest(result, "--subscription-id", "'1234'");
      });

      it("a client ID that is not a GUID", async () => {
        const result = await sample.run([
          "--vault-name",
          "kv-msi-samples",
          "--subscription-id",
          sample.emulator.scenario.vm.subscriptionId,
          "--client-id",
          "id-msi-samples",
        ]);
        expectRejectedBeforeAnyRequest(result, "--client-id", "id-msi-samples");
      });
    });
  });
});

// IMDS answering 429 with Retry-After, or 410 for a moment after the VM starts, is retried: the secret is read and
// the sample exits 0.
describe.concurrent("keyvault-and-resource-groups recovers from transient IMDS faults", () => {
  const flags = (sample: SampleAgainstEmulator) => [
    ...scenarioVaultFlags(sample.emulator),
    "--subscription-id",
    sample.emulator.scenario.vm.subscriptionId,
  ];

  it("IMDS 429 with Retry-After once", async (context) => {
    const sample = await sampleWithOwnEmulator("keyvault-and-resource-groups", context);
    sample.emulator.setFaults({ imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 } });
    const result = await sample.run(flags(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([429, 200, 200]);
  });

  it("IMDS 410 for half a second", async (context) => {
    const sample = await sampleWithOwnEmulator("keyvault-and-resource-groups", context);
    imdsGoneBriefly(sample.emulator, { forMs: 500, context });
    const result = await sample.run(flags(sample));
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)[0]).toBe(410);
  });
});
