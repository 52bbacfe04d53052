// Checks shared/templates/lab-vm.json without deploying it: it stays within the template functions
// that the emulator's engine implements, assigns the documented built-in roles the way Azure expects,
// and its example parameters file, README and pinned versions agree with it.
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
// biome-ignore lint/suspicious/noExplicitAny: parsed JSON, whose shape is what these tests check.
type Json = any;
const readJson = (path: string): Json => JSON.parse(readFileSync(join(repoRoot, path), "utf8"));
const template = readJson("shared/templates/lab-vm.json");
const exampleParameters = readJson("shared/templates/lab-vm.parameters.json");
const labReadme = readFileSync(join(repoRoot, "shared/templates/README-lab.md"), "utf8");

// The functions the emulator's template engine implements (issue 6, part 3).
const engineFunctions = new Set(
  (
    "parameters variables resourceGroup subscription concat format toLower toUpper uniqueString resourceId " +
    "reference if equals length substring guid subscriptionResourceId extensionResourceId tenant base64 " +
    "string int bool not and or empty contains replace split union createObject createArray coalesce last " +
    "first uri deployment environment trim startsWith endsWith greater less add sub mul div mod padLeft json " +
    "dataUri take skip indexOf"
  ).split(" "),
);

// Built-in role IDs, as listed in Microsoft's "Azure built-in roles" page.
const builtInRoles = {
  contributor: "b24988ac-6180-42a0-ab88-20f7382dd24c",
  keyVaultSecretsUser: "4633458b-17de-408a-b874-0445c86b69e6",
};

/** Every template expression: a string value in brackets (`[[` escapes a literal bracket). */
function expressions(value: unknown): string[] {
  if (typeof value === "string") {
    return value.startsWith("[") && !value.startsWith("[[") && value.endsWith("]")
      ? [value.slice(1, -1)]
      : [];
  }
  if (Array.isArray(value)) return value.flatMap(expressions);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, inner]) => [...expressions(key), ...expressions(inner)]);
  }
  return [];
}

const functionsCalled = (expression: string) =>
  [...expression.replace(/'(?:[^']|'')*'/g, "''").matchAll(/([A-Za-z][A-Za-z0-9]*)\s*\(/g)].map(
    (match) => match[1]!,
  );

const resources: Json[] = template.resources;
const ofType = (type: string): Json[] => resources.filter((resource) => resource.type === type);

describe("the lab template", () => {
  it("is a default-language resource-group template", () => {
    expect(template.$schema).toBe(
      "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
    );
    expect(template.languageVersion).toBeUndefined();
  });

  it("calls only functions the emulator's template engine implements", () => {
    const all = expressions(template);
    expect(all.length).toBeGreaterThan(40);
    const called = new Set(all.flatMap(functionsCalled));
    expect([...called].filter((name) => !engineFunctions.has(name))).toEqual([]);
    expect(called).toContain("reference");
  });

  it("builds the whole lab: VM with both identity kinds, network, RBAC-mode vault with the secret", () => {
    const types = resources.map((resource) => resource.type).sort();
    expect(types).toEqual(
      [
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Authorization/roleAssignments",
        "Microsoft.Compute/virtualMachines",
        "Microsoft.KeyVault/vaults",
        "Microsoft.KeyVault/vaults/secrets",
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/networkSecurityGroups",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Network/virtualNetworks",
      ].sort(),
    );
    const vm = ofType("Microsoft.Compute/virtualMachines")[0]!;
    expect(vm.identity.type).toBe("SystemAssigned, UserAssigned");
    expect(vm.properties.storageProfile.imageReference).toEqual({
      publisher: "Canonical",
      offer: "ubuntu-24_04-lts",
      sku: "server",
      version: "latest",
    });
    expect(vm.properties.osProfile.linuxConfiguration.disablePasswordAuthentication).toBe(true);
    expect(vm.properties.osProfile.adminPassword).toBeUndefined();
    const vault = ofType("Microsoft.KeyVault/vaults")[0]!;
    expect(vault.properties).toMatchObject({ enableRbacAuthorization: true, enableSoftDelete: true });
    const publicIp = ofType("Microsoft.Network/publicIPAddresses")[0]!;
    expect(publicIp.sku.name).toBe("Standard");
    expect(publicIp.properties.publicIPAllocationMethod).toBe("Static");
    const sshRule = ofType("Microsoft.Network/networkSecurityGroups")[0]!.properties.securityRules[0];
    expect(sshRule.properties).toMatchObject({
      destinationPortRange: "22",
      access: "Allow",
      sourceAddressPrefix: "[parameters('sshSourceAddressPrefix')]",
    });
  });

  it("gives each identity Contributor on the group and Key Vault Secrets User on the vault", () => {
    const assignments = ofType("Microsoft.Authorization/roleAssignments").map((assignment) => ({
      role: /'([0-9a-f-]{36})'/.exec(
        template.variables[/variables\('(\w+)'\)/.exec(assignment.properties.roleDefinitionId)![1]!],
      )![1],
      principal: /reference\(variables\('(\w+)'\)/.exec(assignment.properties.principalId)![1],
      scope: assignment.scope ?? "resource group",
      name: assignment.name,
      principalType: assignment.properties.principalType,
    }));
    expect(assignments.map(({ role, principal, scope }) => ({ role, principal, scope }))).toEqual([
      { role: builtInRoles.contributor, principal: "vmId", scope: "resource group" },
      { role: builtInRoles.contributor, principal: "identityId", scope: "resource group" },
      { role: builtInRoles.keyVaultSecretsUser, principal: "vmId", scope: "[variables('vaultScope')]" },
      { role: builtInRoles.keyVaultSecretsUser, principal: "identityId", scope: "[variables('vaultScope')]" },
    ]);
    for (const assignment of assignments) {
      expect(assignment.name).toMatch(/^\[guid\(/);
      expect(assignment.principalType).toBe("ServicePrincipal");
    }
    expect(template.variables.vaultScope).toBe(
      "[format('Microsoft.KeyVault/vaults/{0}', variables('vaultName'))]",
    );
    for (const roleId of Object.values(builtInRoles)) expect(labReadme).toContain(roleId);
  });

  it("asks for the key, the SSH source and the secret, and defaults the rest", () => {
    const parameters = template.parameters as Record<string, { type: string; defaultValue?: unknown }>;
    const required = Object.entries(parameters)
      .filter(([, parameter]) => !("defaultValue" in parameter))
      .map(([name]) => name);
    expect(required).toEqual(["adminPublicKey", "sshSourceAddressPrefix", "secretValue"]);
    expect(parameters.secretValue!.type).toBe("securestring");
    expect(parameters.vmSize!.defaultValue).toBe("Standard_B2s");
    expect(parameters.installNode).toMatchObject({ type: "bool", defaultValue: true });
    expect(parameters.secretName!.defaultValue).toBe("sample-secret");
  });

  it("installs Node.js 24 and the repository's pinned pnpm with cloud-init", () => {
    const packageManager = readJson("package.json").packageManager as string;
    expect(template.parameters.pnpmVersion.defaultValue).toBe(packageManager.split("@")[1]);
    expect(template.variables.cloudInitInstallNode).toContain("https://deb.nodesource.com/setup_24.x");
    expect(template.variables.cloudInitInstallNode).toContain("npm install --global pnpm@{0}");
    expect(template.variables.cloudInitInstallNode).toMatch(/^\[format\('#cloud-config\n/);
  });

  it("has the outputs the scripts and samples read", () => {
    expect(Object.keys(template.outputs)).toEqual(
      expect.arrayContaining([
        "vmName",
        "sshCommand",
        "vaultName",
        "vaultUri",
        "secretName",
        "systemAssignedPrincipalId",
        "userAssignedClientId",
        "userAssignedPrincipalId",
        "userAssignedResourceId",
        "resourceGroupName",
        "subscriptionId",
      ]),
    );
  });

  it("uses one API version per resource provider, the one the README documents", () => {
    const versions = new Map<string, Set<string>>();
    for (const resource of resources) {
      const provider = resource.type.split("/")[0] as string;
      versions.set(provider, (versions.get(provider) ?? new Set()).add(resource.apiVersion));
    }
    for (const [provider, providerVersions] of versions) {
      expect(providerVersions.size, provider).toBe(1);
      const [version] = providerVersions;
      expect(labReadme, `${provider} ${version}`).toMatch(
        new RegExp(`${provider}[^|]*\\|\\s*${version}\\s*\\|`),
      );
    }
    const referenced = expressions(template)
      .flatMap((expression) => [...expression.matchAll(/reference\(variables\('(\w+)'\), '([\d-]+)'/g)])
      .map((match) => [match[1], match[2]]);
    const versionOf: Record<string, string> = {
      vmId: ofType("Microsoft.Compute/virtualMachines")[0]!.apiVersion,
      identityId: ofType("Microsoft.ManagedIdentity/userAssignedIdentities")[0]!.apiVersion,
      vaultId: ofType("Microsoft.KeyVault/vaults")[0]!.apiVersion,
    };
    expect(referenced.length).toBeGreaterThan(0);
    for (const [variable, version] of referenced) expect(version, variable).toBe(versionOf[variable!]);
  });
});

describe("the example parameters file", () => {
  it("sets only template parameters, every required one but the secret, which stays out of files", () => {
    const names = Object.keys(exampleParameters.parameters);
    expect(names.filter((name) => !(name in template.parameters))).toEqual([]);
    expect(names).toEqual(expect.arrayContaining(["adminPublicKey", "sshSourceAddressPrefix"]));
    expect(names).not.toContain("secretValue");
  });
});

describe("the Deploy to Azure button", () => {
  it("links the portal to the template's raw URL, URL-encoded", () => {
    const link = /\[!\[Deploy to Azure\]\(https:\/\/aka\.ms\/deploytoazurebutton\)\]\(([^)]+)\)/.exec(
      labReadme,
    )?.[1];
    const prefix = "https://portal.azure.com/#create/Microsoft.Template/uri/";
    expect(link?.startsWith(prefix)).toBe(true);
    const encoded = link!.slice(prefix.length);
    const rawUrl =
      "https://raw.githubusercontent.com/<your-org>/vm-managed-identity-samples/main/shared/templates/lab-vm.json";
    expect(encoded).toBe(encodeURIComponent(rawUrl));
  });
});
