// Comparison functions (ARM docs: "Template functions - comparison").

import { ExpressionError } from "../errors.ts";
import { armTypeName, type TemplateValue, templateValuesEqual } from "../template-values.ts";
import type { FunctionCall, FunctionLibrary } from "./function-types.ts";

/** Numbers compare as numbers and strings ordinally (docs: greater('A', 'a') is false). */
function compare(call: FunctionCall, a: TemplateValue | undefined, b: TemplateValue | undefined): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
  throw new ExpressionError(
    `The template language function '${call.name}' expects two parameters of the same type, both integers or both strings. The provided values are of type '${armTypeName(a)}' and '${armTypeName(b)}'. Please see https://aka.ms/arm-function-${call.name.toLowerCase()} for usage details.`,
  );
}

export const comparisonFunctions: FunctionLibrary = {
  equals: { minArgs: 2, maxArgs: 2, invoke: ([a, b]) => templateValuesEqual(a ?? null, b ?? null) },
  greater: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => compare(call, a, b) > 0 },
  greaterorequals: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => compare(call, a, b) >= 0 },
  less: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => compare(call, a, b) < 0 },
  lessorequals: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => compare(call, a, b) <= 0 },
};
