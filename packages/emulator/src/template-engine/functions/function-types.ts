// The shape every template function shares, and how one checks its arguments.

import { ExpressionError, expressionReasons } from "../errors.ts";
import type { EvaluationLocation, EvaluationScope } from "../evaluation-scope.ts";
import {
  armTypeName,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
} from "../template-values.ts";

export interface FunctionCall {
  /** The name as the template wrote it, for messages. */
  name: string;
  scope: EvaluationScope;
}

interface FunctionArity {
  minArgs: number;
  maxArgs: number;
  /** Sections where the function may be used; everywhere when absent. */
  locations?: readonly EvaluationLocation[];
}

export interface EagerFunction extends FunctionArity {
  lazy?: false;
  invoke(args: TemplateValue[], call: FunctionCall): TemplateValue;
}

/** A function that decides which arguments to evaluate (if() evaluates only the branch it takes). */
export interface LazyFunction extends FunctionArity {
  lazy: true;
  invoke(args: (() => TemplateValue)[], call: FunctionCall): TemplateValue;
}

export type TemplateFunction = EagerFunction | LazyFunction;

/** Functions by lower-case name (ARM function names are case-insensitive). */
export type FunctionLibrary = Record<string, TemplateFunction>;

export const UNBOUNDED = Number.POSITIVE_INFINITY;

export function describeArity(fn: FunctionArity): string {
  if (fn.minArgs === fn.maxArgs) return `${fn.minArgs}`;
  if (fn.maxArgs === UNBOUNDED) return `at least ${fn.minArgs}`;
  return `between ${fn.minArgs} and ${fn.maxArgs}`;
}

function typeError(call: FunctionCall, expected: string, value: TemplateValue | undefined): ExpressionError {
  return new ExpressionError(expressionReasons.argumentType(call.name, expected, armTypeName(value)));
}

export function asString(call: FunctionCall, value: TemplateValue | undefined): string {
  if (typeof value !== "string") throw typeError(call, "String", value);
  return value;
}

export function asInteger(call: FunctionCall, value: TemplateValue | undefined): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw typeError(call, "Integer", value);
  return value;
}

export function asBoolean(call: FunctionCall, value: TemplateValue | undefined): boolean {
  if (typeof value !== "boolean") throw typeError(call, "Boolean", value);
  return value;
}

export function asArray(call: FunctionCall, value: TemplateValue | undefined): TemplateValue[] {
  if (!Array.isArray(value)) throw typeError(call, "Array", value);
  return value;
}

export function asObject(call: FunctionCall, value: TemplateValue | undefined): TemplateObject {
  if (!isTemplateObject(value)) throw typeError(call, "Object", value);
  return value;
}

export function invalidArgument(call: FunctionCall, detail: string): ExpressionError {
  return new ExpressionError(expressionReasons.invalidArgument(call.name, detail));
}
