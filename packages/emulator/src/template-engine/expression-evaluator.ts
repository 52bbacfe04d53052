// Evaluates parsed expressions, and walks template values evaluating every string in them.

import { ExpressionError, expressionReasons } from "./errors.ts";
import type { EvaluationScope } from "./evaluation-scope.ts";
import { type ExpressionNode, parseTemplateString } from "./expression-parser.ts";
import { lookUpFunction } from "./functions/function-library.ts";
import { describeArity, type FunctionCall } from "./functions/function-types.ts";
import {
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
} from "./template-values.ts";

export function evaluateNode(node: ExpressionNode, scope: EvaluationScope): TemplateValue {
  switch (node.kind) {
    case "string":
    case "number":
      return node.value;
    case "property":
      return accessProperty(evaluateNode(node.target, scope), node.name);
    case "index": {
      const target = evaluateNode(node.target, scope);
      const index = evaluateNode(node.index, scope);
      if (typeof index === "string") return accessProperty(target, index);
      if (typeof index === "number" && Array.isArray(target)) {
        if (!Number.isInteger(index) || index < 0 || index >= target.length) {
          throw new ExpressionError(expressionReasons.indexOutOfBounds(index));
        }
        return target[index] as TemplateValue;
      }
      if (typeof index === "number" && isTemplateObject(target)) {
        throw new ExpressionError(expressionReasons.propertyNameNotString(String(index)));
      }
      throw new ExpressionError(expressionReasons.propertyNotEvaluable(String(index)));
    }
    case "call":
      return callFunction(node, scope);
  }
}

function accessProperty(target: TemplateValue, name: string): TemplateValue {
  if (!isTemplateObject(target)) throw new ExpressionError(expressionReasons.propertyNotEvaluable(name));
  const found = findProperty(target, name);
  if (found === undefined)
    throw new ExpressionError(expressionReasons.propertyMissing(name, Object.keys(target)));
  return found.value;
}

function callFunction(
  node: Extract<ExpressionNode, { kind: "call" }>,
  scope: EvaluationScope,
): TemplateValue {
  const displayName = node.namespace === undefined ? node.name : `${node.namespace}.${node.name}`;
  // User-defined functions (namespace.name) are not supported: they are named like any unknown function.
  const fn = node.namespace === undefined ? lookUpFunction(node.name) : undefined;
  if (fn === undefined) throw new ExpressionError(expressionReasons.unknownFunction(displayName));
  if (fn.locations !== undefined && !fn.locations.includes(scope.location)) {
    throw new ExpressionError(expressionReasons.functionNotExpectedHere(node.name));
  }
  if (node.args.length < fn.minArgs || node.args.length > fn.maxArgs) {
    throw new ExpressionError(
      expressionReasons.argumentCount(node.name, describeArity(fn), node.args.length),
    );
  }
  const call: FunctionCall = { name: node.name, scope };
  if (fn.lazy === true)
    return fn.invoke(
      node.args.map((arg) => () => evaluateNode(arg, scope)),
      call,
    );
  return fn.invoke(
    node.args.map((arg) => evaluateNode(arg, scope)),
    call,
  );
}

/** Evaluates one template string: literal text as is (with "[[" unescaped), an expression evaluated. */
function evaluateTemplateString(text: string, scope: EvaluationScope): TemplateValue {
  const parsed = parseTemplateString(text);
  return parsed.kind === "literal" ? parsed.text : evaluateNode(parsed.root, scope);
}

/** Raised by evaluateTemplateValue with the JSON path (relative to the value walked) of the failing string. */
export class PathedExpressionError extends Error {
  override readonly name = "PathedExpressionError";
  readonly relativePath: string;
  readonly reason: string;
  constructor(reason: string, relativePath: string) {
    super(reason);
    this.reason = reason;
    this.relativePath = relativePath;
  }
}

export interface WalkOptions {
  /** Expand property loops ("copy": [{ name, count, input }]) inside objects, as resource properties and variables allow. */
  expandPropertyCopy: boolean;
}

/** Appends a relative JSON path ("properties.x", "[0].y") to a base path. */
export function appendPath(base: string, relative: string): string {
  if (relative === "") return base;
  if (base === "") return relative;
  return relative.startsWith("[") ? `${base}${relative}` : `${base}.${relative}`;
}

function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/**
 * Evaluates every string of a JSON value. On failure throws PathedExpressionError whose path
 * points at the failing string, e.g. "properties.accountType".
 */
export function evaluateTemplateValue(
  value: TemplateValue,
  scope: EvaluationScope,
  options: WalkOptions,
  path = "",
): TemplateValue {
  if (typeof value === "string") {
    try {
      return evaluateTemplateString(value, scope);
    } catch (error) {
      if (error instanceof ExpressionError) throw new PathedExpressionError(error.message, path);
      throw error;
    }
  }
  if (Array.isArray(value))
    return value.map((item, index) => evaluateTemplateValue(item, scope, options, joinPath(path, index)));
  if (!isTemplateObject(value)) return value;

  const result: TemplateObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (options.expandPropertyCopy && key.toLowerCase() === "copy" && Array.isArray(item)) {
      item.forEach((loop, index) => {
        const loopPath = joinPath(joinPath(path, key), index);
        const [name, values] = expandPropertyLoop(loop, scope, options, loopPath);
        result[name] = values;
      });
      continue;
    }
    result[key] = evaluateTemplateValue(item, scope, options, joinPath(path, key));
  }
  return result;
}

/** One property loop: { name, count, input } becomes name: [input for each index]. */
function expandPropertyLoop(
  loop: TemplateValue,
  scope: EvaluationScope,
  options: WalkOptions,
  path: string,
): [string, TemplateValue[]] {
  if (!isTemplateObject(loop))
    throw new PathedExpressionError(
      "A property copy loop must be an object with 'name', 'count' and 'input'.",
      path,
    );
  const name = evaluateTemplateValue(
    findProperty(loop, "name")?.value ?? null,
    scope,
    options,
    joinPath(path, "name"),
  );
  const count = evaluateTemplateValue(
    findProperty(loop, "count")?.value ?? null,
    scope,
    options,
    joinPath(path, "count"),
  );
  const input = findProperty(loop, "input");
  if (
    typeof name !== "string" ||
    typeof count !== "number" ||
    !Number.isInteger(count) ||
    count < 0 ||
    input === undefined
  ) {
    throw new PathedExpressionError(
      "A property copy loop needs a string 'name', a non-negative integer 'count' and an 'input'.",
      path,
    );
  }
  const values: TemplateValue[] = [];
  for (let index = 0; index < count; index++) {
    values.push(
      evaluateTemplateValue(
        input.value,
        scope.withLoop(name, index, false),
        options,
        joinPath(path, "input"),
      ),
    );
  }
  return [name, values];
}

/**
 * Runs `evaluate` for the value at `basePath`, turning an expression failure into its section's error:
 * `fail(reason, path)`, with the path of the failing string when it is known.
 */
export function reportExpressionErrors<T>(
  basePath: string,
  fail: (reason: string, path: string) => Error,
  evaluate: () => T,
): T {
  try {
    return evaluate();
  } catch (error) {
    if (error instanceof PathedExpressionError)
      throw fail(error.reason, appendPath(basePath, error.relativePath));
    if (error instanceof ExpressionError) throw fail(error.message, basePath);
    throw error;
  }
}

/**
 * Values worked out on first use and then remembered, as ARM resolves parameter defaults and variables: they may
 * refer to each other in any order, and a cycle among them is refused.
 */
export class ResolvedOnce {
  readonly #values = new Map<string, TemplateValue>();
  readonly #inProgress: string[] = [];

  /** The value of `key` (from `resolve` the first time); `cycleError` gets the keys from its first visit to `key`. */
  get(key: string, resolve: () => TemplateValue, cycleError: (cycle: string[]) => Error): TemplateValue {
    if (this.#values.has(key)) return this.#values.get(key) as TemplateValue;
    const cycleStart = this.#inProgress.indexOf(key);
    if (cycleStart >= 0) throw cycleError([...this.#inProgress.slice(cycleStart), key]);
    this.#inProgress.push(key);
    try {
      const value = resolve();
      this.#values.set(key, value);
      return value;
    } finally {
      this.#inProgress.pop();
    }
  }
}
