// Logical functions (ARM docs: "Template functions - logical"), plus null().

import { asBoolean, type FunctionLibrary, invalidArgument, UNBOUNDED } from "./function-types.ts";

export const logicalFunctions: FunctionLibrary = {
  and: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => args.map((arg) => asBoolean(call, arg)).every(Boolean),
  },
  or: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => args.map((arg) => asBoolean(call, arg)).some(Boolean),
  },
  not: { minArgs: 1, maxArgs: 1, invoke: ([value], call) => !asBoolean(call, value) },
  bool: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      if (typeof value === "boolean") return value;
      if (typeof value === "number") return value !== 0;
      if (typeof value === "string") {
        const lower = value.toLowerCase();
        if (lower === "true") return true;
        if (lower === "false") return false;
      }
      throw invalidArgument(call, "The value cannot be converted to a boolean.");
    },
  },
  true: { minArgs: 0, maxArgs: 0, invoke: () => true },
  false: { minArgs: 0, maxArgs: 0, invoke: () => false },
  null: { minArgs: 0, maxArgs: 0, invoke: () => null },
  if: {
    lazy: true,
    minArgs: 3,
    maxArgs: 3,
    // docs: "When the condition is True, only the true value is evaluated."
    invoke: ([condition, whenTrue, whenFalse], call) => {
      const decided = condition?.();
      if (typeof decided !== "boolean") {
        // Wording: f5devcentral/f5-azure-saca#104.
        throw invalidArgument(
          call,
          "The provided arguments for template language function 'if' is not valid: the condition should be of type 'boolean'.",
        );
      }
      return decided ? (whenTrue?.() ?? null) : (whenFalse?.() ?? null);
    },
  },
};
