// Checks every expression of a template before anything is evaluated, as ARM's validation does:
// syntax errors and unknown functions are reported even in branches that would never run.

import { ExpressionSyntaxError, expressionEvaluationFailed } from "./errors.ts";
import { type ExpressionNode, isExpression, parseExpression } from "./expression-parser.ts";
import { lookUpFunction } from "./functions/function-library.ts";
import { isTemplateObject, type TemplateValue } from "./template-values.ts";

export interface ExpressionSite {
  /** JSON path of the string, e.g. "resources[0].properties.accountType". */
  path: string;
  root: ExpressionNode;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** Parses every expression string in `value`; a syntax error fails the whole template. */
export function* expressionSites(value: TemplateValue, path: string): Generator<ExpressionSite> {
  if (typeof value === "string") {
    if (!isExpression(value)) return;
    try {
      yield { path, root: parseExpression(value.slice(1, -1)) };
    } catch (error) {
      if (error instanceof ExpressionSyntaxError) throw expressionEvaluationFailed(error.message, path);
      throw error;
    }
  } else if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) yield* expressionSites(item, joinPath(path, index));
  } else if (isTemplateObject(value)) {
    for (const [key, item] of Object.entries(value)) yield* expressionSites(item, joinPath(path, key));
  }
}

/** Parses every expression in `value`, throwing ARM's error for the first that is not valid syntax. */
export function checkSyntax(value: TemplateValue, path: string): void {
  let count = 0;
  for (const _site of expressionSites(value, path)) count++;
  void count;
}

/** The first function in an expression that the engine does not know, as the template wrote it. */
function unknownFunctionIn(node: ExpressionNode): string | undefined {
  switch (node.kind) {
    case "call": {
      if (node.namespace !== undefined) return `${node.namespace}.${node.name}`;
      if (lookUpFunction(node.name) === undefined) return node.name;
      for (const arg of node.args) {
        const found = unknownFunctionIn(arg);
        if (found !== undefined) return found;
      }
      return undefined;
    }
    case "property":
      return unknownFunctionIn(node.target);
    case "index":
      return unknownFunctionIn(node.target) ?? unknownFunctionIn(node.index);
    default:
      return undefined;
  }
}

/** Throws a syntax error for the whole template, or calls `onUnknown` for the first unknown function. */
export function checkExpressions(
  value: TemplateValue,
  path: string,
  onUnknown: (functionName: string, path: string) => never,
): void {
  for (const site of expressionSites(value, path)) {
    const unknown = unknownFunctionIn(site.root);
    if (unknown !== undefined) onUnknown(unknown, site.path);
  }
}
