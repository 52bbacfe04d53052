// reference('name') and list*('name', ...) on a resource of the same template make the caller depend on it
// (ARM docs, reference(): "you implicitly declare that one resource depends on another resource if the
// referenced resource is provisioned within same template and you refer to the resource by its name").

import type { ResourceIndex } from "./dependency-graph.ts";
import { evaluateNode } from "./expression-evaluator.ts";
import { type ExpressionNode, isExpression, parseExpression } from "./expression-parser.ts";
import type { ResourceInstance } from "./resource-expansion.ts";
import { isTemplateObject, type TemplateValue } from "./template-values.ts";

const IGNORED_KEYS = new Set(["dependson", "copy", "resources", "name", "type", "apiversion", "comments"]);

function* expressionsIn(value: TemplateValue, topLevel: boolean): Generator<string> {
  if (typeof value === "string") {
    if (isExpression(value)) yield value.slice(1, -1);
  } else if (Array.isArray(value)) {
    for (const item of value) yield* expressionsIn(item, false);
  } else if (isTemplateObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (topLevel && IGNORED_KEYS.has(key.toLowerCase())) continue;
      yield* expressionsIn(item, false);
    }
  }
}

function* referenceTargets(node: ExpressionNode): Generator<ExpressionNode> {
  switch (node.kind) {
    case "call": {
      const name = node.name.toLowerCase();
      const [first] = node.args;
      if (
        node.namespace === undefined &&
        first !== undefined &&
        (name === "reference" || /^list[a-z]/.test(name))
      )
        yield first;
      for (const arg of node.args) yield* referenceTargets(arg);
      return;
    }
    case "property":
      yield* referenceTargets(node.target);
      return;
    case "index":
      yield* referenceTargets(node.target);
      yield* referenceTargets(node.index);
      return;
    default:
      return;
  }
}

/** For each instance, the template resources its body references by name. */
export function findImplicitDependencies(
  instances: readonly ResourceInstance[],
  index: ResourceIndex,
): Map<ResourceInstance, ResourceInstance[]> {
  const result = new Map<ResourceInstance, ResourceInstance[]>();
  for (const instance of instances) {
    const found = new Set<ResourceInstance>();
    for (const source of expressionsIn(instance.declaration.definition, true)) {
      let root: ExpressionNode;
      try {
        root = parseExpression(source);
      } catch {
        continue; // The body's own evaluation reports the parse error where it belongs.
      }
      for (const target of referenceTargets(root)) {
        let value: TemplateValue;
        try {
          value = evaluateNode(target, instance.evaluationScope);
        } catch {
          continue; // Not known before deployment (for example it uses reference() itself).
        }
        if (typeof value !== "string" || value.startsWith("/")) continue;
        const dependency = index.byNameOrTypedName(value);
        if (dependency !== undefined && dependency !== instance) found.add(dependency);
      }
    }
    if (found.size > 0) result.set(instance, [...found]);
  }
  return result;
}
