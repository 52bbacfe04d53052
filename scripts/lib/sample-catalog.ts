// The five samples in walkthrough order: what each ports, what it is about to do, and the flags `pnpm demo` and
// `pnpm bench` run it with against the emulator's world.
import type { Scenario } from "@msi-samples/emulator";
import type { SampleName } from "@msi-samples/sample-runner";

export interface CatalogEntry {
  step: number;
  sample: SampleName;
  /** What the sample does, in a few words. */
  title: string;
  /** The Azure-Samples entry it ports (the table in the root README). */
  ports: { title: string; language: string; repository: string };
  /** What is about to happen, for the demo's heading. */
  narration: (scenario: Scenario) => string;
  /** Flags for an unattended run that succeeds in the scenario. */
  args: (scenario: Scenario) => string[];
  /** The token audiences the run needs: one IMDS token request each (the SDK caches the rest). */
  audiences: readonly string[];
}

const arm = "https://management.azure.com";
const keyVault = "https://vault.azure.net";

function firstVault(scenario: Scenario): { vault: string; secret: string } {
  const vault = scenario.keyVaults.find((v) => v.secrets.length > 0);
  if (!vault?.secrets[0]) throw new Error("The scenario has no Key Vault with a secret for step 2.");
  return { vault: vault.name, secret: vault.secrets[0].name };
}

function firstUserAssignedIdentity(scenario: Scenario): { name: string; clientId: string } {
  const identity = scenario.vm.userAssignedIdentities[0];
  if (!identity) throw new Error("The scenario's VM has no user-assigned identity for step 4.");
  return identity;
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    step: 1,
    sample: "deploy-arm-template",
    title: "Deploy an ARM template",
    ports: {
      title: "Deploy an ARM template from a Windows VM using Managed Service Identity",
      language: ".NET",
      repository: "Azure-Samples/windowsvm-msi-arm-dotnet",
    },
    narration: () =>
      "Makes sure resource group 'msi-sample-rg' exists (creating it in the VM's region), deploys " +
      "template/azuredeploy.json in Incremental mode while showing progress, then reads the new storage " +
      "account back with @azure/arm-storage.",
    args: () => [],
    audiences: [arm],
  },
  {
    step: 2,
    sample: "keyvault-and-resource-groups",
    title: "Read a Key Vault secret and list resource groups",
    ports: {
      title: "Call Azure services from a Linux VM using Managed Service Identity",
      language: ".NET Core",
      repository: "Azure-Samples/linuxvm-msi-keyvault-arm-dotnet",
    },
    narration: (scenario) => {
      const { vault, secret } = firstVault(scenario);
      return (
        `Reads secret '${secret}' from Key Vault '${vault}' (a second token, for Key Vault; the value stays ` +
        "masked), then lists the subscription's resource groups and says which principal signed in."
      );
    },
    args: (scenario) => {
      const { vault, secret } = firstVault(scenario);
      return ["--vault-name", vault, "--secret-name", secret];
    },
    audiences: [arm, keyVault],
  },
  {
    step: 3,
    sample: "list-resource-groups",
    title: "List resource groups",
    ports: {
      title: "Manage resources using Managed Service Identity",
      language: "Node.js",
      repository: "Azure-Samples/resources-node-manage-resources-with-msi",
    },
    narration: () =>
      "The shortest path from the VM's identity to a result: the subscription comes from the VM's instance " +
      "metadata, and every resource group is printed as a table.",
    args: () => [],
    audiences: [arm],
  },
  {
    step: 4,
    sample: "user-assigned-identity",
    title: "Sign in as a user-assigned identity",
    ports: {
      title: "Use MSI to authenticate simply from inside a VM",
      language: "Python",
      repository: "Azure-Samples/resource-manager-python-manage-resources-with-msi",
    },
    narration: (scenario) => {
      const identity = firstUserAssignedIdentity(scenario);
      return (
        `Signs in as the user-assigned identity '${identity.name}', chosen by its client ID, discovers the ` +
        "subscription it can see through the subscriptions API, and lists that subscription's resource groups."
      );
    },
    args: (scenario) => ["--client-id", firstUserAssignedIdentity(scenario).clientId],
    audiences: [arm],
  },
  {
    step: 5,
    sample: "create-delete-key-vault",
    title: "Create and delete a Key Vault",
    ports: {
      title: "Manage resources from an MSI-enabled VM",
      language: "Ruby",
      repository: "Azure-Samples/resources-ruby-manage-resources-with-msi",
    },
    narration: () =>
      "Creates a Key Vault with a fresh name as a generic resource (explicit api-version, tenant taken from the " +
      "token), prints its properties, and deletes it again (--yes stands in for pressing Enter).",
    args: () => ["--yes"],
    audiences: [arm],
  },
];
