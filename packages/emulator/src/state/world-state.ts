// The emulated world in memory: tenant, subscriptions, the scenario's VM and its identities (fixed by the scenario),
// and what can change (resource groups, generic resources by ID, role assignments, the VM IMDS answers as,
// per-service namespaces such as vault secrets).
import { createHash } from "node:crypto";
import type { z } from "zod";
import { findBuiltInRole } from "../auth/built-in-roles.ts";
import { type RoleAssignmentRecord, scopeIsWithin } from "../auth/rbac.ts";
import { VAULT_RESOURCE_TYPE, VIRTUAL_MACHINE_TYPE, vaultUrl } from "../identifiers.ts";
import { plainDataOf, trackChanges } from "./change-tracking.ts";
import { type CurrentVm, resourceVm, scenarioVm, VirtualMachineNotFoundError } from "./current-vm.ts";
import { rowPathOf, rowsOf } from "./namespace-rows.ts";
import type { Scenario } from "./scenario-schema.ts";
import type { SqliteStateStore, WorldChanges } from "./sqlite-state-store.ts";
import type { ArmResourceRecord, ManagedIdentity, ResourceGroupRecord } from "./world-records.ts";

// The records are declared apart so that current-vm.ts can use them without importing this module.
export type { ArmResourceRecord, ManagedIdentity, ResourceGroupRecord } from "./world-records.ts";

/** What `--state` persists: the scenario it started from, and everything that can change. */
export interface WorldSnapshot {
  format: "msi-emulator-state";
  version: 1;
  savedAt: string;
  scenario: Scenario;
  resourceGroups: ResourceGroupRecord[];
  resources: ArmResourceRecord[];
  roleAssignments: RoleAssignmentRecord[];
  namespaces: Record<string, unknown>;
  /** The VM resource IMDS answers as (null: the scenario's `vm`); absent in older files: the scenario's `currentVm`. */
  currentVm?: string | null;
}

/** The shape of the "keyvault" namespace as seeded from the scenario; keyvault/keyvault-store.ts owns it from there. */
export interface SeededVaultSecrets {
  vaults: Record<string, { secrets: Scenario["keyVaults"][number]["secrets"] }>;
}

/**
 * A part of the world one service owns and keeps as JSON (persisted with `--state` under `name`): the schema that
 * types what is stored, checked once (when a state file is opened, else when the service first reads it), and the
 * value it starts from.
 */
export interface NamespaceDefinition<T> {
  name: string;
  schema: z.ZodType<T>;
  initial: () => T;
}

/** A stored namespace that is not shaped as the service owning it expects (a hand-edited or foreign state file). */
export class NamespaceShapeError extends Error {
  /** Where in the world, e.g. `namespaces.keyvault.vaults.kv-a.secrets`, and what is wrong there. */
  readonly where: string;
  readonly problem: string;
  constructor(name: string, issue: z.core.$ZodIssue | undefined) {
    const where = ["namespaces", name, ...(issue?.path ?? []).map(String)].join(".");
    const problem = issue?.message ?? "invalid";
    super(`The world's "${name}" data is not shaped as its service expects: ${where}: ${problem}.`);
    this.name = "NamespaceShapeError";
    this.where = where;
    this.problem = problem;
  }
}

/** ARM stores regions as lowercase names without spaces ("West US 2" -> "westus2"). */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, "").toLowerCase();
}

/** A stable GUID from text, so scenario role assignments keep the same name across restarts. */
function stableGuidOf(text: string): string {
  const hex = createHash("sha256").update(text).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export function resourceGroupId(subscriptionId: string, name: string): string {
  return `/subscriptions/${subscriptionId}/resourceGroups/${name}`;
}

const groupKey = (subscriptionId: string, name: string) => `${subscriptionId}/${name}`.toLowerCase();

export class WorldState {
  readonly scenario: Scenario;
  /** The scenario's own VM, with the identities its `vm` section lists. */
  readonly #scenarioVm: CurrentVm;
  /** A VM resource IMDS answers as while it exists (else the scenario's VM). */
  #currentVmId: string | undefined;
  readonly #groups = new Map<string, ResourceGroupRecord>();
  readonly #resources = new Map<string, ArmResourceRecord>();
  #roleAssignments: RoleAssignmentRecord[] = [];
  readonly #namespaces = new Map<string, unknown>();
  /** Namespaces whose stored value has been checked against their service's schema. */
  readonly #checkedNamespaces = new Set<string>();
  /** With `--state`: where commits go, and what changed since the last one. */
  #store: SqliteStateStore | undefined;
  readonly #changed = {
    groups: new Set<string>(),
    resources: new Set<string>(),
    roleAssignments: new Set<string>(),
    /** Namespace name -> row paths (joined with NUL) to write again. */
    namespaces: new Map<string, Map<string, string[]>>(),
    currentVm: false,
  };

  private constructor(scenario: Scenario, currentVmId: string | undefined) {
    this.scenario = scenario;
    this.#scenarioVm = scenarioVm(scenario);
    this.#currentVmId = currentVmId;
  }

  /** A fresh world as the scenario describes it. */
  static fromScenario(scenario: Scenario): WorldState {
    const world = new WorldState(scenario, scenario.currentVm);
    const now = new Date().toISOString();
    for (const g of scenario.resourceGroups) {
      world.#groups.set(groupKey(g.subscriptionId, g.name), {
        subscriptionId: g.subscriptionId,
        name: g.name,
        location: normalizeLocation(g.location),
        tags: { ...g.tags },
        ...(g.managedBy ? { managedBy: g.managedBy } : {}),
        provisioningState: "Succeeded",
        createdTime: now,
      });
    }
    for (const record of seededResources(scenario, world.#scenarioVm.identities, now))
      world.#resources.set(record.id.toLowerCase(), record);
    world.#roleAssignments = scenario.roleAssignments.map((a) => {
      const principalId = world.resolvePrincipal(a.principal) ?? a.principal;
      const role = findBuiltInRole(a.role);
      return {
        name: a.id ?? stableGuidOf(`${a.scope}|${principalId}|${role?.id}`.toLowerCase()),
        principalId,
        principalType: "ServicePrincipal",
        roleDefinitionId: role?.id ?? a.role,
        scope: a.scope,
        ...(a.description ? { description: a.description } : {}),
        createdOn: now,
        updatedOn: now,
      };
    });
    const keyvault: SeededVaultSecrets = { vaults: {} };
    for (const vault of scenario.keyVaults)
      keyvault.vaults[vault.name.toLowerCase()] = { secrets: vault.secrets.map((s) => ({ ...s })) };
    world.#namespaces.set("keyvault", keyvault);
    return world;
  }

  /** The world as `--state` saved it. */
  static fromSnapshot(snapshot: WorldSnapshot): WorldState {
    const world = new WorldState(
      snapshot.scenario,
      snapshot.currentVm === undefined ? snapshot.scenario.currentVm : (snapshot.currentVm ?? undefined),
    );
    for (const g of snapshot.resourceGroups) world.#groups.set(groupKey(g.subscriptionId, g.name), g);
    for (const r of snapshot.resources) world.#resources.set(r.id.toLowerCase(), r);
    world.#roleAssignments = [...snapshot.roleAssignments];
    for (const [name, value] of Object.entries(snapshot.namespaces)) world.#namespaces.set(name, value);
    return world;
  }

  /**
   * Makes every `commit()` write what changed since the previous one to `store`, in one transaction, before it
   * resolves. `everything` marks the whole world as changed (a new or migrated state file).
   */
  attachStore(store: SqliteStateStore, options: { everything?: boolean } = {}): void {
    this.#store = store;
    if (!options.everything) return;
    for (const key of this.#groups.keys()) this.#changed.groups.add(key);
    for (const key of this.#resources.keys()) this.#changed.resources.add(key);
    for (const a of this.#roleAssignments) this.#changed.roleAssignments.add(a.name.toLowerCase());
    for (const name of this.#namespaces.keys()) this.#namespaceChanged(name, []);
    this.#changed.currentVm = true;
  }

  /** Closes the state file (releasing its lock); later commits are kept in memory only. */
  closeStore(): void {
    this.#store?.close();
    this.#store = undefined;
  }

  /** What callers get of stored records: with a store, a view that notices changes made in place. */
  #tracked<T>(value: T, onChange: () => void): T {
    return this.#store ? trackChanges(value, onChange) : value;
  }

  #trackedResource(record: ArmResourceRecord): ArmResourceRecord {
    const key = record.id.toLowerCase();
    return this.#tracked(record, () => this.#changed.resources.add(key));
  }

  #trackedGroup(record: ResourceGroupRecord): ResourceGroupRecord {
    const key = groupKey(record.subscriptionId, record.name);
    return this.#tracked(record, () => this.#changed.groups.add(key));
  }

  #namespaceChanged(name: string, changedPath: readonly string[]): void {
    const rowPath = rowPathOf(this.#namespaces.get(name), changedPath);
    let paths = this.#changed.namespaces.get(name);
    if (!paths) {
      paths = new Map();
      this.#changed.namespaces.set(name, paths);
    }
    paths.set(rowPath.join("\0"), rowPath);
  }

  get tenantId(): string {
    return this.scenario.tenant.id;
  }

  /**
   * The VM IMDS answers as: the chosen VM resource while it exists (it is read afresh, so a redeployed VM's new
   * identity counts at once), else the scenario's `vm`.
   */
  get currentVm(): CurrentVm {
    const chosen = this.#currentVmId === undefined ? undefined : this.getResource(this.#currentVmId);
    if (!chosen || chosen.type.toLowerCase() !== VIRTUAL_MACHINE_TYPE.toLowerCase()) return this.#scenarioVm;
    // The scenario's VM chosen by its ID keeps the client IDs the scenario gives.
    if (chosen.id.toLowerCase() === this.#scenarioVm.resourceId.toLowerCase()) return this.#scenarioVm;
    return resourceVm(chosen, (id) => this.getResource(id));
  }

  /** The VM resource ID chosen with `useVirtualMachine` (or the scenario's `currentVm`), existing or not. */
  get currentVmChoice(): string | undefined {
    return this.#currentVmId;
  }

  /**
   * Makes IMDS answer as the VM resource `resourceId` (undefined: the scenario's VM again). `requireExisting`
   * refuses an ID that names no VM of the world now; without it the choice waits for a deployment to create the VM.
   */
  useVirtualMachine(resourceId: string | undefined, options: { requireExisting?: boolean } = {}): void {
    if (resourceId !== undefined && options.requireExisting) {
      const found = this.getResource(resourceId);
      if (!found || found.type.toLowerCase() !== VIRTUAL_MACHINE_TYPE.toLowerCase())
        throw new VirtualMachineNotFoundError(resourceId);
    }
    this.#currentVmId = resourceId;
    this.#changed.currentVm = true;
  }

  /** The managed identities of the current VM: those IMDS issues tokens for. */
  get identities(): readonly ManagedIdentity[] {
    return this.currentVm.identities;
  }

  /** The current VM's resource ID (instance metadata `resourceId`, `xms_mirid` of its system-assigned identity). */
  get vmResourceId(): string {
    return this.currentVm.resourceId;
  }

  findSubscription(subscriptionId: string): Scenario["subscriptions"][number] | undefined {
    return this.scenario.subscriptions.find((s) => s.id.toLowerCase() === subscriptionId.toLowerCase());
  }

  /** "system", a user-assigned identity's name (of the scenario's VM), or an object ID, to an object ID. */
  resolvePrincipal(principal: string): string | undefined {
    const identities = this.#scenarioVm.identities;
    if (principal === "system") return identities.find((i) => i.kind === "system")?.principalId;
    const named = identities.find(
      (i) => i.kind === "user" && i.name.toLowerCase() === principal.toLowerCase(),
    );
    return named?.principalId ?? (/^[0-9a-f-]{36}$/i.test(principal) ? principal : undefined);
  }

  /** An identity of the current VM or of the scenario's VM (to name callers in the request log). */
  identityByPrincipalId(principalId: string): ManagedIdentity | undefined {
    const same = (i: ManagedIdentity) => i.principalId.toLowerCase() === principalId.toLowerCase();
    return this.identities.find(same) ?? this.#scenarioVm.identities.find(same);
  }

  // Resource groups

  getResourceGroup(subscriptionId: string, name: string): ResourceGroupRecord | undefined {
    const found = this.#groups.get(groupKey(subscriptionId, name));
    return found && this.#trackedGroup(found);
  }

  listResourceGroups(subscriptionId: string): ResourceGroupRecord[] {
    return [...this.#groups.values()]
      .filter((g) => g.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())
      .map((g) => this.#trackedGroup(g));
  }

  putResourceGroup(record: ResourceGroupRecord): void {
    const key = groupKey(record.subscriptionId, record.name);
    this.#groups.set(key, plainDataOf(record));
    this.#changed.groups.add(key);
  }

  /**
   * Removes the group, every resource in it, and the role assignments made at or below it (ARM deletes a scope's
   * extension resources with the scope).
   */
  deleteResourceGroup(subscriptionId: string, name: string): void {
    this.#groups.delete(groupKey(subscriptionId, name));
    this.#changed.groups.add(groupKey(subscriptionId, name));
    for (const r of this.listResources({ subscriptionId, resourceGroup: name })) {
      this.#resources.delete(r.id.toLowerCase());
      this.#changed.resources.add(r.id.toLowerCase());
    }
    this.#removeRoleAssignmentsWithin(resourceGroupId(subscriptionId, name));
  }

  // Generic resources, by ID

  getResource(id: string): ArmResourceRecord | undefined {
    const found = this.#resources.get(id.toLowerCase());
    return found && this.#trackedResource(found);
  }

  listResources(
    filter: { subscriptionId?: string; resourceGroup?: string; type?: string } = {},
  ): ArmResourceRecord[] {
    const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
    return [...this.#resources.values()]
      .filter(
        (r) =>
          (filter.subscriptionId === undefined || eq(r.subscriptionId, filter.subscriptionId)) &&
          (filter.resourceGroup === undefined || eq(r.resourceGroup, filter.resourceGroup)) &&
          (filter.type === undefined || eq(r.type, filter.type)),
      )
      .map((r) => this.#trackedResource(r));
  }

  putResource(record: ArmResourceRecord): void {
    const key = record.id.toLowerCase();
    this.#resources.set(key, plainDataOf(record));
    this.#changed.resources.add(key);
  }

  /** Removes the resource, its child resources, and the role assignments made at or below it. */
  deleteResource(id: string): boolean {
    const existed = this.#resources.delete(id.toLowerCase());
    this.#changed.resources.add(id.toLowerCase());
    const prefix = `${id.toLowerCase()}/`;
    for (const key of [...this.#resources.keys()])
      if (key.startsWith(prefix)) {
        this.#resources.delete(key);
        this.#changed.resources.add(key);
      }
    this.#removeRoleAssignmentsWithin(id);
    return existed;
  }

  #removeRoleAssignmentsWithin(scope: string): void {
    for (const a of this.#roleAssignments)
      if (scopeIsWithin(a.scope, scope)) this.#changed.roleAssignments.add(a.name.toLowerCase());
    this.#roleAssignments = this.#roleAssignments.filter((a) => !scopeIsWithin(a.scope, scope));
  }

  // Role assignments

  get roleAssignments(): readonly RoleAssignmentRecord[] {
    return this.#roleAssignments;
  }

  addRoleAssignment(record: RoleAssignmentRecord): void {
    this.#roleAssignments = [
      ...this.#roleAssignments.filter((a) => a.name.toLowerCase() !== record.name.toLowerCase()),
      plainDataOf(record),
    ];
    this.#changed.roleAssignments.add(record.name.toLowerCase());
  }

  removeRoleAssignment(name: string): RoleAssignmentRecord | undefined {
    const found = this.#roleAssignments.find((a) => a.name.toLowerCase() === name.toLowerCase());
    this.#roleAssignments = this.#roleAssignments.filter((a) => a !== found);
    this.#changed.roleAssignments.add(name.toLowerCase());
    return found;
  }

  // Namespaces: JSON data a service module owns (e.g. "keyvault" for vault secrets), typed by its definition.

  /**
   * The service's namespace, as a live object (with a store, changes made in place are noticed). The stored value is
   * checked against the definition's schema once, at the latest when first read, so a service never works on a wrong
   * shape.
   */
  namespace<T>(definition: NamespaceDefinition<T>): T {
    const { name } = definition;
    if (!this.#namespaces.has(name)) {
      this.#namespaces.set(name, plainDataOf(definition.initial()));
      this.#namespaceChanged(name, []);
    }
    this.#checkNamespace(definition);
    // The one typing boundary of a namespace: its value passed this definition's schema (once per name).
    const value = this.#namespaces.get(name) as T;
    return this.#store ? trackChanges(value, (path) => this.#namespaceChanged(name, path)) : value;
  }

  /**
   * Checks the stored namespaces of these definitions now (a state file's, when the emulator starts) rather than
   * when a request first reads them; throws NamespaceShapeError for the first wrongly shaped one.
   */
  checkNamespaces(definitions: readonly NamespaceDefinition<unknown>[]): void {
    for (const definition of definitions)
      if (this.#namespaces.has(definition.name)) this.#checkNamespace(definition);
  }

  #checkNamespace<T>(definition: NamespaceDefinition<T>): void {
    const { name } = definition;
    if (this.#checkedNamespaces.has(name)) return;
    const checked = definition.schema.safeParse(this.#namespaces.get(name));
    if (!checked.success) throw new NamespaceShapeError(name, checked.error.issues[0]);
    this.#namespaces.set(name, checked.data);
    this.#checkedNamespaces.add(name);
  }

  /** Every namespace replaced by `namespaces` (those not in it emptied), as "Reset to scenario" does. */
  replaceNamespaces(namespaces: Record<string, unknown>): void {
    for (const name of new Set([...this.#namespaces.keys(), ...Object.keys(namespaces)])) {
      this.#namespaces.set(name, plainDataOf(namespaces[name] ?? {}));
      this.#checkedNamespaces.delete(name);
      this.#namespaceChanged(name, []);
    }
  }

  snapshot(): WorldSnapshot {
    return structuredClone({
      format: "msi-emulator-state",
      version: 1,
      savedAt: new Date().toISOString(),
      scenario: this.scenario,
      resourceGroups: [...this.#groups.values()],
      resources: [...this.#resources.values()],
      roleAssignments: this.#roleAssignments,
      namespaces: Object.fromEntries(this.#namespaces),
      currentVm: this.#currentVmId ?? null,
    });
  }

  /**
   * Persists what changed since the last commit (with `--state`), in one transaction, so its cost follows the change
   * and not the size of the world; resolve before acknowledging a change.
   */
  commit(): Promise<void> {
    const store = this.#store;
    if (!store) return Promise.resolve();
    try {
      store.write(this.#takeChanges());
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #takeChanges(): WorldChanges {
    const changed = this.#changed;
    const roleAssignments = new Map(this.#roleAssignments.map((a) => [a.name.toLowerCase(), a]));
    const changes: WorldChanges = {
      groups: new Map([...changed.groups].map((key) => [key, this.#groups.get(key)])),
      resources: new Map([...changed.resources].map((key) => [key, this.#resources.get(key)])),
      roleAssignments: new Map([...changed.roleAssignments].map((key) => [key, roleAssignments.get(key)])),
      namespaces: [...changed.namespaces].flatMap(([name, paths]) =>
        [...paths.values()].map((changedPath) => {
          const at = (path: readonly string[]) =>
            path.reduce<unknown>(
              (node, segment) => (node as Record<string, unknown> | undefined)?.[segment],
              this.#namespaces.get(name),
            );
          // A removal that empties its parent rewrites the parent, so the empty object is still there after a restart.
          let path = changedPath;
          while (path.length > 0 && at(path) === undefined && isEmptyObject(at(path.slice(0, -1))))
            path = path.slice(0, -1);
          return { name, path, rows: rowsOf(at(path), path) };
        }),
      ),
      ...(changed.currentVm ? { currentVm: this.#currentVmId ?? null } : {}),
    };
    changed.groups.clear();
    changed.resources.clear();
    changed.roleAssignments.clear();
    changed.namespaces.clear();
    changed.currentVm = false;
    return changes;
  }
}

function isEmptyObject(value: unknown): boolean {
  return (
    value !== null && typeof value === "object" && !Array.isArray(value) && Object.keys(value).length === 0
  );
}

function seededResources(
  scenario: Scenario,
  identities: readonly ManagedIdentity[],
  now: string,
): ArmResourceRecord[] {
  const vm = scenario.vm;
  const records: ArmResourceRecord[] = [];
  const base = (subscriptionId: string, resourceGroup: string, type: string, name: string) => ({
    id: `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/${type}/${name}`,
    subscriptionId,
    resourceGroup,
    type,
    name,
    createdTime: now,
    changedTime: now,
  });
  const userAssigned = identities.filter((i) => i.kind === "user");
  records.push({
    ...base(vm.subscriptionId, vm.resourceGroup, "Microsoft.Compute/virtualMachines", vm.name),
    location: normalizeLocation(vm.location),
    tags: { ...vm.tags },
    identity: {
      type:
        [vm.systemAssignedIdentity ? "SystemAssigned" : "", userAssigned.length ? "UserAssigned" : ""]
          .filter(Boolean)
          .join(", ") || "None",
      ...(vm.systemAssignedIdentity
        ? { principalId: vm.systemAssignedIdentity.principalId, tenantId: scenario.tenant.id }
        : {}),
      ...(userAssigned.length
        ? {
            userAssignedIdentities: Object.fromEntries(
              userAssigned.map((u) => [u.resourceId, { principalId: u.principalId, clientId: u.clientId }]),
            ),
          }
        : {}),
    },
    properties: { vmId: vm.vmId, hardwareProfile: { vmSize: vm.vmSize }, provisioningState: "Succeeded" },
  });
  for (const u of vm.userAssignedIdentities) {
    records.push({
      ...base(
        u.subscriptionId ?? vm.subscriptionId,
        u.resourceGroup,
        "Microsoft.ManagedIdentity/userAssignedIdentities",
        u.name,
      ),
      location: normalizeLocation(vm.location),
      tags: {},
      properties: { tenantId: scenario.tenant.id, principalId: u.principalId, clientId: u.clientId },
    });
  }
  for (const r of scenario.resources) {
    const parts = r.id.split("/");
    const providerAt = parts.findIndex((p) => p.toLowerCase() === "providers");
    const namespace = parts[providerAt + 1] ?? "";
    const rest = parts.slice(providerAt + 2);
    const typeSegments = rest.filter((_, i) => i % 2 === 0);
    records.push({
      id: r.id,
      subscriptionId: parts[2] ?? "",
      resourceGroup: parts[4] ?? "",
      type: [namespace, ...typeSegments].join("/"),
      name: rest.filter((_, i) => i % 2 === 1).join("/"),
      ...(r.location ? { location: normalizeLocation(r.location) } : {}),
      ...(r.kind ? { kind: r.kind } : {}),
      ...(r.sku ? { sku: r.sku } : {}),
      ...(r.tags ? { tags: r.tags } : {}),
      ...(r.identity ? { identity: r.identity } : {}),
      properties: r.properties,
      createdTime: now,
      changedTime: now,
    });
  }
  for (const v of scenario.keyVaults) {
    const subscriptionId = v.subscriptionId ?? vm.subscriptionId;
    const resolve = (principal: string) =>
      principal === "system"
        ? identities.find((i) => i.kind === "system")?.principalId
        : (identities.find((i) => i.kind === "user" && i.name.toLowerCase() === principal.toLowerCase())
            ?.principalId ?? principal);
    records.push({
      ...base(subscriptionId, v.resourceGroup, VAULT_RESOURCE_TYPE, v.name),
      location: normalizeLocation(v.location ?? vm.location),
      tags: {},
      properties: {
        sku: { family: "A", name: "standard" },
        tenantId: scenario.tenant.id,
        accessPolicies: v.accessPolicies.map((p) => ({
          tenantId: scenario.tenant.id,
          objectId: resolve(p.principal),
          permissions: { secrets: p.permissions.secrets, keys: [], certificates: [] },
        })),
        enableRbacAuthorization: v.enableRbacAuthorization,
        enableSoftDelete: true,
        softDeleteRetentionInDays: v.softDeleteRetentionInDays,
        vaultUri: `${vaultUrl(v.name)}/`,
        provisioningState: "Succeeded",
        publicNetworkAccess: "Enabled",
      },
    });
  }
  return records;
}
