// Numeric functions (ARM docs: "Template functions - numeric"): 64-bit style integer arithmetic.

import { asInteger, type FunctionLibrary, invalidArgument } from "./function-types.ts";

export const numericFunctions: FunctionLibrary = {
  add: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => asInteger(call, a) + asInteger(call, b) },
  sub: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => asInteger(call, a) - asInteger(call, b) },
  mul: { minArgs: 2, maxArgs: 2, invoke: ([a, b], call) => asInteger(call, a) * asInteger(call, b) },
  div: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([a, b], call) => {
      const divisor = asInteger(call, b);
      if (divisor === 0) throw invalidArgument(call, "The divisor must not be zero.");
      return Math.trunc(asInteger(call, a) / divisor);
    },
  },
  mod: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([a, b], call) => {
      const divisor = asInteger(call, b);
      if (divisor === 0) throw invalidArgument(call, "The divisor must not be zero.");
      return asInteger(call, a) % divisor;
    },
  },
  int: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      if (typeof value === "number") return Math.trunc(value);
      if (typeof value === "string" && /^\s*[-+]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
      throw invalidArgument(call, `The value '${String(value)}' cannot be converted to an integer.`);
    },
  },
};
