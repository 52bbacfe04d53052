// The scenario file format (shared/scenarios/*.json): the emulated tenant, subscriptions, VM, identities, roles,
// resource groups, resources and key vaults. Validated with zod; errors name the bad field.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { findBuiltInRole } from "../auth/built-in-roles.ts";
import { faultsSchema } from "../faults/faults.ts";
import { VIRTUAL_MACHINE_ID } from "../identifiers.ts";

const guid = z.guid({ error: "must be a GUID such as 3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37" });
const tags = z.record(z.string(), z.string());
/** Resource group names: up to 90 of letters, digits, _ - . ( ), not ending in a period (ARM's rule). */
export const RESOURCE_GROUP_NAME = /^[-\w._()]{1,90}$/u;
const resourceGroupName = z
  .string()
  .regex(RESOURCE_GROUP_NAME, "must be 1-90 letters, digits, '-', '_', '.', '(' or ')'")
  .refine((name) => !name.endsWith("."), "must not end with a period");
const location = z.string().min(1, "must name an Azure region such as westus2");

const subscriptionSchema = z
  .object({
    id: guid,
    displayName: z.string().min(1),
    state: z.enum(["Enabled", "Warned", "PastDue", "Disabled", "Deleted"]).default("Enabled"),
    tags: tags.optional(),
    quotaId: z.string().default("PayAsYouGo_2014-09-01"),
    spendingLimit: z.enum(["On", "Off", "CurrentPeriodOff"]).default("Off"),
  })
  .strict();

const userAssignedIdentitySchema = z
  .object({
    name: z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_-]{2,127}$/, "must be 3-128 letters, digits, '-' or '_'"),
    /** Defaults to the VM's subscription. */
    subscriptionId: guid.optional(),
    resourceGroup: resourceGroupName,
    clientId: guid,
    principalId: guid,
  })
  .strict();

const vmSchema = z
  .object({
    name: z.string().min(1).max(64),
    subscriptionId: guid,
    resourceGroup: resourceGroupName,
    location,
    vmId: guid,
    vmSize: z.string().default("Standard_B2s"),
    osType: z.enum(["Linux", "Windows"]).default("Linux"),
    computerName: z.string().optional(),
    adminUsername: z.string().default("azureuser"),
    zone: z.string().default(""),
    tags: tags.default({}),
    image: z
      .object({ publisher: z.string(), offer: z.string(), sku: z.string(), version: z.string() })
      .strict()
      .default({ publisher: "Canonical", offer: "ubuntu-24_04-lts", sku: "server", version: "latest" }),
    network: z
      .object({
        privateIpAddress: z.string().default("10.0.0.4"),
        publicIpAddress: z.string().default(""),
        subnetAddress: z.string().default("10.0.0.0"),
        subnetPrefix: z.string().default("24"),
        macAddress: z.string().default("000D3A6B1C2D"),
      })
      .strict()
      .default({
        privateIpAddress: "10.0.0.4",
        publicIpAddress: "",
        subnetAddress: "10.0.0.0",
        subnetPrefix: "24",
        macAddress: "000D3A6B1C2D",
      }),
    /** null turns the system-assigned identity off. */
    systemAssignedIdentity: z.object({ principalId: guid, clientId: guid }).strict().nullable(),
    userAssignedIdentities: z.array(userAssignedIdentitySchema).default([]),
  })
  .strict();

const roleAssignmentSchema = z
  .object({
    /** The assignment's GUID name; generated from the other fields when absent. */
    id: guid.optional(),
    /** "system" (the VM's system-assigned identity), a user-assigned identity's name, or any principal's object ID. */
    principal: z.string().min(1),
    /** A built-in role's name ("Reader") or role definition GUID. */
    role: z.string().min(1),
    /** e.g. /subscriptions/{id}, /subscriptions/{id}/resourceGroups/{name}, or a resource ID. */
    scope: z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+(\/.*)?$/i,
        "must be a scope such as /subscriptions/{id}/resourceGroups/{name}",
      ),
    description: z.string().optional(),
  })
  .strict();

const resourceGroupSchema = z
  .object({
    name: resourceGroupName,
    subscriptionId: guid,
    location,
    tags: tags.default({}),
    managedBy: z.string().optional(),
  })
  .strict();

/** Any ARM resource, stored as given (a storage account or vault listed here is served by its typed provider). */
const resourceSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+(\/[^/]+\/[^/]+)*$/i,
        "must be a resource ID: /subscriptions/{s}/resourceGroups/{g}/providers/{namespace}/{type}/{name}",
      ),
    location: z.string().optional(),
    kind: z.string().optional(),
    sku: z.record(z.string(), z.unknown()).optional(),
    tags: tags.optional(),
    identity: z.record(z.string(), z.unknown()).optional(),
    properties: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

const secretPermission = z.enum([
  "get",
  "list",
  "set",
  "delete",
  "recover",
  "backup",
  "restore",
  "purge",
  "all",
]);

const keyVaultSchema = z
  .object({
    /** Vault names: 3-24 letters, digits and hyphens, starting with a letter (Azure's rule). */
    name: z
      .string()
      .regex(
        /^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/,
        "must be 3-24 letters, digits and single hyphens, starting with a letter",
      ),
    subscriptionId: guid.optional(),
    resourceGroup: resourceGroupName,
    location: z.string().optional(),
    /** true: Azure RBAC decides data-plane access; false: the access policies below do. */
    enableRbacAuthorization: z.boolean().default(true),
    accessPolicies: z
      .array(
        z
          .object({
            principal: z.string().min(1),
            permissions: z.object({ secrets: z.array(secretPermission).default([]) }).strict(),
          })
          .strict(),
      )
      .default([]),
    softDeleteRetentionInDays: z.number().int().min(7).max(90).default(90),
    secrets: z
      .array(
        z
          .object({
            name: z.string().regex(/^[0-9a-zA-Z-]{1,127}$/, "must be 1-127 letters, digits and hyphens"),
            value: z.string(),
            contentType: z.string().optional(),
            enabled: z.boolean().default(true),
            tags: tags.optional(),
          })
          .strict(),
      )
      .default([]),
  })
  .strict();

const baseScenarioSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    tenant: z
      .object({
        id: guid,
        displayName: z.string().default("Emulated tenant"),
        defaultDomain: z.string().default("emulated.onmicrosoft.com"),
      })
      .strict(),
    subscriptions: z.array(subscriptionSchema).min(1, "must list at least one subscription"),
    vm: vmSchema,
    roleAssignments: z.array(roleAssignmentSchema).default([]),
    resourceGroups: z.array(resourceGroupSchema).default([]),
    resources: z.array(resourceSchema).default([]),
    keyVaults: z.array(keyVaultSchema).default([]),
    /**
     * A Microsoft.Compute/virtualMachines resource IMDS answers as whenever it exists (e.g. once a deployment has
     * created it); until then, and if it is deleted, IMDS answers as `vm`.
     */
    currentVm: z
      .string()
      .regex(
        VIRTUAL_MACHINE_ID,
        "must be a VM's resource ID: /subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{name}",
      )
      .optional(),
    tokens: z
      .object({
        lifetimeSeconds: z
          .number()
          .int()
          .positive()
          .max(7 * 86_400)
          .default(86_400),
      })
      .strict()
      .default({ lifetimeSeconds: 86_400 }),
    /** "instant": long-running operations finish at the first poll (tests); "realistic": they run a few seconds (demos). */
    latency: z.enum(["instant", "realistic"]).default("instant"),
    faults: faultsSchema.default({}),
  })
  .strict();

const scenarioSchema = baseScenarioSchema.superRefine((scenario, ctx) => {
  const issue = (path: (string | number)[], message: string) =>
    ctx.addIssue({ code: "custom", path, message });
  const subscriptionIds = new Set(scenario.subscriptions.map((s) => s.id.toLowerCase()));
  const groupKey = (subscriptionId: string, name: string) => `${subscriptionId}/${name}`.toLowerCase();
  const groups = new Set<string>();

  scenario.subscriptions.forEach((s, i) => {
    if (scenario.subscriptions.findIndex((o) => o.id.toLowerCase() === s.id.toLowerCase()) !== i)
      issue(["subscriptions", i, "id"], `duplicate subscription '${s.id}'`);
  });
  scenario.resourceGroups.forEach((g, i) => {
    if (!subscriptionIds.has(g.subscriptionId.toLowerCase()))
      issue(
        ["resourceGroups", i, "subscriptionId"],
        `subscription '${g.subscriptionId}' is not in subscriptions`,
      );
    const key = groupKey(g.subscriptionId, g.name);
    if (groups.has(key)) issue(["resourceGroups", i, "name"], `duplicate resource group '${g.name}'`);
    groups.add(key);
  });

  const vm = scenario.vm;
  if (!subscriptionIds.has(vm.subscriptionId.toLowerCase()))
    issue(["vm", "subscriptionId"], `subscription '${vm.subscriptionId}' is not in subscriptions`);
  if (!groups.has(groupKey(vm.subscriptionId, vm.resourceGroup)))
    issue(
      ["vm", "resourceGroup"],
      `resource group '${vm.resourceGroup}' is not in resourceGroups (of subscription ${vm.subscriptionId})`,
    );
  vm.userAssignedIdentities.forEach((identity, i) => {
    const subscriptionId = identity.subscriptionId ?? vm.subscriptionId;
    if (!subscriptionIds.has(subscriptionId.toLowerCase()))
      issue(
        ["vm", "userAssignedIdentities", i, "subscriptionId"],
        `subscription '${subscriptionId}' is not in subscriptions`,
      );
    if (!groups.has(groupKey(subscriptionId, identity.resourceGroup)))
      issue(
        ["vm", "userAssignedIdentities", i, "resourceGroup"],
        `resource group '${identity.resourceGroup}' is not in resourceGroups`,
      );
    if (
      vm.userAssignedIdentities.findIndex((o) => o.name.toLowerCase() === identity.name.toLowerCase()) !== i
    )
      issue(["vm", "userAssignedIdentities", i, "name"], `duplicate identity name '${identity.name}'`);
  });

  const principalKnown = (principal: string) =>
    principal === "system"
      ? vm.systemAssignedIdentity !== null
      : vm.userAssignedIdentities.some((u) => u.name.toLowerCase() === principal.toLowerCase()) ||
        guid.safeParse(principal).success;
  scenario.roleAssignments.forEach((assignment, i) => {
    if (!principalKnown(assignment.principal))
      issue(
        ["roleAssignments", i, "principal"],
        assignment.principal === "system"
          ? "the VM has no system-assigned identity (vm.systemAssignedIdentity is null)"
          : `'${assignment.principal}' is neither "system", a user-assigned identity's name, nor an object ID`,
      );
    if (!findBuiltInRole(assignment.role))
      issue(["roleAssignments", i, "role"], `unknown built-in role '${assignment.role}'`);
    const scopeSubscription = assignment.scope.split("/")[2] ?? "";
    if (!subscriptionIds.has(scopeSubscription.toLowerCase()))
      issue(["roleAssignments", i, "scope"], `subscription '${scopeSubscription}' is not in subscriptions`);
  });

  scenario.resources.forEach((resource, i) => {
    const [, , subscriptionId = "", , group = ""] = resource.id.split("/");
    if (!groups.has(groupKey(subscriptionId, group)))
      issue(["resources", i, "id"], `resource group '${group}' is not in resourceGroups`);
  });

  if (scenario.currentVm) {
    const currentVmSubscription = scenario.currentVm.split("/")[2] ?? "";
    if (!subscriptionIds.has(currentVmSubscription.toLowerCase()))
      issue(["currentVm"], `subscription '${currentVmSubscription}' is not in subscriptions`);
  }

  scenario.keyVaults.forEach((vault, i) => {
    const subscriptionId = vault.subscriptionId ?? vm.subscriptionId;
    if (!groups.has(groupKey(subscriptionId, vault.resourceGroup)))
      issue(
        ["keyVaults", i, "resourceGroup"],
        `resource group '${vault.resourceGroup}' is not in resourceGroups`,
      );
    if (scenario.keyVaults.findIndex((o) => o.name.toLowerCase() === vault.name.toLowerCase()) !== i)
      issue(
        ["keyVaults", i, "name"],
        `duplicate vault name '${vault.name}' (vault names are globally unique)`,
      );
    vault.accessPolicies.forEach((policy, j) => {
      if (!principalKnown(policy.principal))
        issue(
          ["keyVaults", i, "accessPolicies", j, "principal"],
          `'${policy.principal}' is neither "system", a user-assigned identity's name, nor an object ID`,
        );
    });
  });
});

export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Scenario = z.output<typeof scenarioSchema>;

export class ScenarioError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScenarioError";
  }
}

/** Validates a scenario object; the error lists every problem as `path.to.field: reason`. */
export function parseScenario(input: unknown, source = "scenario"): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (i) => `  ${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`,
  );
  throw new ScenarioError(`Invalid ${source}:\n${lines.join("\n")}`);
}

export async function loadScenarioFile(filePath: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(filePath, "utf8");
  } catch (error) {
    throw new ScenarioError(`Cannot read scenario file ${filePath}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ScenarioError(`Scenario file ${filePath} is not valid JSON: ${(error as Error).message}`);
  }
  return parseScenario(json, `scenario file ${filePath}`);
}

/** A JSON Schema of the scenario format, for editors (zod's own converter). */
export function scenarioJsonSchema(): unknown {
  return z.toJSONSchema(baseScenarioSchema, { io: "input", unrepresentable: "any" });
}
