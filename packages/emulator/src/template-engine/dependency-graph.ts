// Resolves dependsOn entries to resource instances and orders the instances so dependencies come first.

import { circularDependency, dependencyNotDefined, templateReferenceNotFound } from "./errors.ts";
import type { ResourceInstance } from "./resource-expansion.ts";

/** Finds template resources by ID, by name, by "type/name" and by copy loop name (all case-insensitive). */
export class ResourceIndex {
  readonly #byId = new Map<string, ResourceInstance>();
  readonly #byName = new Map<string, ResourceInstance[]>();
  readonly #byTypedName = new Map<string, ResourceInstance[]>();
  readonly #byLoop = new Map<string, ResourceInstance[]>();

  constructor(instances: readonly ResourceInstance[]) {
    const add = (map: Map<string, ResourceInstance[]>, key: string, instance: ResourceInstance) => {
      const list = map.get(key.toLowerCase()) ?? [];
      list.push(instance);
      map.set(key.toLowerCase(), list);
    };
    for (const instance of instances) {
      this.#byId.set(instance.id.toLowerCase(), instance);
      add(this.#byName, instance.name, instance);
      add(this.#byTypedName, `${instance.type}/${instance.name}`, instance);
      if (instance.copy !== undefined) add(this.#byLoop, instance.copy.name, instance);
    }
  }

  byId(id: string): ResourceInstance | undefined {
    return this.#byId.get(id.toLowerCase());
  }

  /** The instance a name or "type/name" refers to (as reference('name') uses it). */
  byNameOrTypedName(reference: string): ResourceInstance | undefined {
    const key = reference.toLowerCase();
    return this.#byName.get(key)?.[0] ?? this.#byTypedName.get(key)?.[0];
  }

  /** Every instance a dependsOn entry names; throws ARM's error when there is none. */
  resolveDependency(entry: string, templatePath: string): ResourceInstance[] {
    const key = entry.toLowerCase();
    if (entry.startsWith("/")) {
      const instance = this.#byId.get(key);
      if (instance === undefined) throw dependencyNotDefined(entry, templatePath);
      return [instance];
    }
    const found = this.#byLoop.get(key) ?? this.#byName.get(key) ?? this.#byTypedName.get(key);
    if (found !== undefined) return found;
    if (entry.includes("/")) throw dependencyNotDefined(entry, templatePath);
    throw templateReferenceNotFound(entry, templatePath);
  }
}

/**
 * Orders instances so each comes after what it depends on; among instances that are ready at the
 * same time, template order is kept (so a parent declared before its children is deployed first).
 * `extraDependencies` adds implicit ones (reference('name') in a body).
 */
export function orderByDependencies(
  instances: readonly ResourceInstance[],
  index: ResourceIndex,
  extraDependencies: ReadonlyMap<ResourceInstance, readonly ResourceInstance[]> = new Map(),
): { ordered: ResourceInstance[]; dependenciesOf: Map<ResourceInstance, ResourceInstance[]> } {
  const dependenciesOf = new Map<ResourceInstance, ResourceInstance[]>();
  for (const instance of instances) {
    const dependencies = new Set<ResourceInstance>(extraDependencies.get(instance) ?? []);
    instance.dependsOn.forEach((entry, position) => {
      for (const dependency of index.resolveDependency(
        entry,
        `${instance.templatePath}.dependsOn[${position}]`,
      )) {
        dependencies.add(dependency);
      }
    });
    dependenciesOf.set(instance, [...dependencies]);
  }

  const ordered: ResourceInstance[] = [];
  const placed = new Set<ResourceInstance>();
  let remaining = [...instances];
  while (remaining.length > 0) {
    const ready = remaining.find((instance) =>
      (dependenciesOf.get(instance) ?? []).every((dependency) => placed.has(dependency)),
    );
    if (ready === undefined) {
      const cycle = findCycle(remaining, dependenciesOf);
      throw circularDependency(
        cycle.map((instance) => instance.id),
        `${(cycle[0] as ResourceInstance).templatePath}.dependsOn`,
      );
    }
    ordered.push(ready);
    placed.add(ready);
    remaining = remaining.filter((instance) => instance !== ready);
  }
  return { ordered, dependenciesOf };
}

/** A cycle among instances none of which can be placed: follows unplaced dependencies until one repeats. */
function findCycle(
  stuck: readonly ResourceInstance[],
  dependenciesOf: ReadonlyMap<ResourceInstance, readonly ResourceInstance[]>,
): ResourceInstance[] {
  const stuckSet = new Set(stuck);
  const path: ResourceInstance[] = [];
  let current = stuck[0] as ResourceInstance;
  while (!path.includes(current)) {
    path.push(current);
    current = (dependenciesOf.get(current) ?? []).find((dependency) =>
      stuckSet.has(dependency),
    ) as ResourceInstance;
  }
  return [...path.slice(path.indexOf(current)), current];
}
