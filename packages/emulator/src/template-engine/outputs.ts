// Template outputs: evaluated after the resources are deployed, typed as Azure returns them.

import type { DeploymentOutput } from "./deployment-types.ts";
import { expressionReasons, outputsEvaluationFailed, templateParseFailed } from "./errors.ts";
import type { EvaluationScope } from "./evaluation-scope.ts";
import { evaluateTemplateValue, reportExpressionErrors } from "./expression-evaluator.ts";
import {
  armTypeName,
  type DeclaredType,
  declaredType,
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
} from "./template-values.ts";

/** Checks the shape of the outputs section (done when the deployment is prepared). */
export function validateOutputDeclarations(outputs: TemplateObject): void {
  for (const [name, definition] of Object.entries(outputs)) {
    if (!isTemplateObject(definition))
      throw templateParseFailed("An output must be a JSON object.", `outputs.${name}`);
    const declared = findProperty(definition, "type")?.value;
    if (typeof declared !== "string" || declaredType(declared) === undefined) {
      throw templateParseFailed(`The output '${name}' has no valid 'type'.`, `outputs.${name}.type`);
    }
  }
}

class OutputFailure extends Error {
  readonly path: string;
  constructor(reason: string, path: string) {
    super(reason);
    this.path = path;
  }
}

function evaluateOne(
  name: string,
  definition: TemplateObject,
  scope: EvaluationScope,
): DeploymentOutput | undefined {
  const basePath = `outputs.${name}`;
  // validateOutputDeclarations made sure of it.
  const type = declaredType(String(findProperty(definition, "type")?.value)) as DeclaredType;
  const evaluate = (value: TemplateValue, path: string, scopeToUse: EvaluationScope = scope): TemplateValue =>
    reportExpressionErrors(
      path,
      (reason, at) => new OutputFailure(reason, at),
      () => evaluateTemplateValue(value, scopeToUse, { expandPropertyCopy: true }),
    );

  const condition = findProperty(definition, "condition");
  if (condition !== undefined) {
    const decided = evaluate(condition.value, `${basePath}.${condition.key}`);
    if (typeof decided !== "boolean")
      throw new OutputFailure(
        expressionReasons.conditionNotBoolean(armTypeName(decided)),
        `${basePath}.condition`,
      );
    if (!decided) return undefined;
  }

  let value: TemplateValue;
  const copy = findProperty(definition, "copy")?.value;
  if (isTemplateObject(copy)) {
    // An output loop: "copy": { "count": n, "input": ... } gives an array.
    const count = evaluate(findProperty(copy, "count")?.value ?? null, `${basePath}.copy.count`);
    const input = findProperty(copy, "input");
    if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || input === undefined) {
      throw new OutputFailure(
        "An output copy loop needs a non-negative integer 'count' and an 'input'.",
        `${basePath}.copy`,
      );
    }
    value = Array.from({ length: count }, (_, index) =>
      evaluate(input.value, `${basePath}.copy.input`, scope.withLoop(name, index, true)),
    );
  } else {
    const declared = findProperty(definition, "value");
    value = declared === undefined ? null : evaluate(declared.value, `${basePath}.${declared.key}`);
  }
  if (armTypeName(value) !== type.json) {
    throw new OutputFailure(
      expressionReasons.outputTypeMismatch(type.json, armTypeName(value)),
      `${basePath}.value`,
    );
  }
  return type.response.startsWith("Secure") ? { type: type.response } : { type: type.response, value };
}

/** Evaluates every output; failures are reported together, as ARM's DeploymentOutputEvaluationFailed. */
export function evaluateOutputs(
  outputs: TemplateObject,
  scope: EvaluationScope,
): Record<string, DeploymentOutput> {
  const result: Record<string, DeploymentOutput> = {};
  const failures: { name: string; reason: string; templatePath: string }[] = [];
  for (const [name, definition] of Object.entries(outputs)) {
    try {
      const output = evaluateOne(name, definition as TemplateObject, scope);
      if (output !== undefined) result[name] = output;
    } catch (error) {
      if (!(error instanceof OutputFailure)) throw error;
      failures.push({ name, reason: error.message, templatePath: error.path });
    }
  }
  if (failures.length > 0) throw outputsEvaluationFailed(failures);
  return result;
}
