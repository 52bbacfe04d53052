// Template variables: evaluated on first use (so they may refer to each other in any order), cycles rejected.

import { ExpressionError, expressionReasons, invalidVariable, templateParseFailed } from "./errors.ts";
import type { EvaluationScope } from "./evaluation-scope.ts";
import {
  evaluateTemplateValue,
  PathedExpressionError,
  ResolvedOnce,
  reportExpressionErrors,
} from "./expression-evaluator.ts";
import {
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
} from "./template-values.ts";

type VariableDeclaration =
  | { kind: "value"; name: string; value: TemplateValue }
  /** A variable loop: "copy": [{ "name": "disks", "count": 3, "input": {...} }] in the variables section. */
  | { kind: "loop"; name: string; loop: TemplateObject; index: number };

export class VariableResolver {
  readonly #declarations = new Map<string, VariableDeclaration>();
  readonly #resolved = new ResolvedOnce();
  readonly #scope: () => EvaluationScope;

  constructor(variables: TemplateObject, scope: () => EvaluationScope) {
    for (const [name, value] of Object.entries(variables)) {
      if (name.toLowerCase() === "copy" && Array.isArray(value)) {
        value.forEach((loop, index) => {
          const loopName = isTemplateObject(loop) ? findProperty(loop, "name")?.value : undefined;
          if (!isTemplateObject(loop) || typeof loopName !== "string") {
            throw templateParseFailed(
              "A variable copy loop must be an object with a 'name', a 'count' and an 'input'.",
              `variables.copy[${index}]`,
            );
          }
          this.#declarations.set(loopName.toLowerCase(), { kind: "loop", name: loopName, loop, index });
        });
        continue;
      }
      this.#declarations.set(name.toLowerCase(), { kind: "value", name, value });
    }
    this.#scope = scope;
  }

  get(name: string): TemplateValue {
    const key = name.toLowerCase();
    const declaration = this.#declarations.get(key);
    if (declaration === undefined) throw new ExpressionError(expressionReasons.variableNotFound(name));
    return this.#resolved.get(
      key,
      () => this.#evaluate(declaration),
      (cycle) =>
        new ExpressionError(
          expressionReasons.variableCycle(cycle.map((k) => this.#declarations.get(k)?.name ?? k)),
        ),
    );
  }

  resolveAll(): Record<string, TemplateValue> {
    const result: Record<string, TemplateValue> = {};
    for (const declaration of this.#declarations.values())
      result[declaration.name] = this.get(declaration.name);
    return result;
  }

  #evaluate(declaration: VariableDeclaration): TemplateValue {
    const scope = this.#scope();
    const options = { expandPropertyCopy: true };
    const basePath =
      declaration.kind === "value" ? `variables.${declaration.name}` : `variables.copy[${declaration.index}]`;
    const fail = (reason: string, path: string) => invalidVariable(declaration.name, reason, path);
    return reportExpressionErrors(basePath, fail, () => {
      if (declaration.kind === "value") return evaluateTemplateValue(declaration.value, scope, options);
      const count = evaluateTemplateValue(
        findProperty(declaration.loop, "count")?.value ?? null,
        scope,
        options,
        "count",
      );
      const input = findProperty(declaration.loop, "input");
      if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || input === undefined) {
        throw new PathedExpressionError(
          "A variable copy loop needs a non-negative integer 'count' and an 'input'.",
          "",
        );
      }
      return Array.from({ length: count }, (_, index) =>
        evaluateTemplateValue(input.value, scope.withLoop(declaration.name, index, false), options, "input"),
      );
    });
  }
}
