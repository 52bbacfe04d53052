// Array and object functions (ARM docs: "Template functions - arrays" and "- objects").

import { ExpressionError } from "../errors.ts";
import {
  armTypeName,
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
  templateValuesEqual,
} from "../template-values.ts";
import {
  asArray,
  asInteger,
  asObject,
  asString,
  type FunctionCall,
  type FunctionLibrary,
  invalidArgument,
  UNBOUNDED,
} from "./function-types.ts";

function unique(values: TemplateValue[]): TemplateValue[] {
  const result: TemplateValue[] = [];
  for (const value of values)
    if (!result.some((kept) => templateValuesEqual(kept, value))) result.push(value);
  return result;
}

/** docs (union): objects merge recursively, later values win; arrays inside objects are replaced. */
function mergeObjects(target: TemplateObject, source: TemplateObject): TemplateObject {
  const result: TemplateObject = { ...target };
  for (const [key, value] of Object.entries(source)) {
    const existing = findProperty(result, key);
    if (existing !== undefined && isTemplateObject(existing.value) && isTemplateObject(value)) {
      result[existing.key] = mergeObjects(existing.value, value);
    } else {
      if (existing !== undefined) delete result[existing.key];
      result[key] = value;
    }
  }
  return result;
}

function sequenceError(call: FunctionCall, value: TemplateValue | undefined): ExpressionError {
  return new ExpressionError(
    `The template language function '${call.name}' expects its parameter to be an array or a string. The provided value is of type '${armTypeName(value)}'. Please see https://aka.ms/arm-function-${call.name.toLowerCase()} for usage details.`,
  );
}

function takeOrSkip(
  call: FunctionCall,
  sequence: TemplateValue | undefined,
  count: TemplateValue | undefined,
  take: boolean,
) {
  const n = Math.max(0, asInteger(call, count));
  if (typeof sequence === "string") return take ? sequence.slice(0, n) : sequence.slice(n);
  if (Array.isArray(sequence)) return take ? sequence.slice(0, n) : sequence.slice(n);
  throw sequenceError(call, sequence);
}

function compareNumbers(
  call: FunctionCall,
  args: TemplateValue[],
  pick: (a: number, b: number) => number,
): number {
  const values = args.length === 1 && Array.isArray(args[0]) ? args[0] : args;
  if (values.length === 0) throw invalidArgument(call, "The array must not be empty.");
  return values.map((value) => asInteger(call, value)).reduce((a, b) => pick(a, b));
}

export const arrayObjectFunctions: FunctionLibrary = {
  array: { minArgs: 1, maxArgs: 1, invoke: ([value]) => (Array.isArray(value) ? value : [value ?? null]) },
  coalesce: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: (args) => args.find((arg) => arg !== null) ?? null,
  },
  contains: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([container, item], call) => {
      if (typeof container === "string") return container.includes(asString(call, item));
      if (Array.isArray(container))
        return container.some((element) => templateValuesEqual(element, item ?? null));
      if (isTemplateObject(container)) return findProperty(container, asString(call, item)) !== undefined;
      throw new ExpressionError(
        `The template language function 'contains' expects its first parameter to be an array, an object, or a string. The provided value is of type '${armTypeName(container)}'. Please see https://aka.ms/arm-function-contains for usage details.`,
      );
    },
  },
  createarray: { minArgs: 0, maxArgs: UNBOUNDED, invoke: (args) => args },
  createobject: {
    minArgs: 0,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      if (args.length % 2 !== 0)
        throw invalidArgument(
          call,
          "The function requires an even number of arguments: key, value, key, value...",
        );
      const result: TemplateObject = {};
      for (let i = 0; i < args.length; i += 2) result[asString(call, args[i])] = args[i + 1] as TemplateValue;
      return result;
    },
  },
  empty: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value]) => {
      if (value === null || value === undefined) return true;
      if (typeof value === "string" || Array.isArray(value)) return value.length === 0;
      if (isTemplateObject(value)) return Object.keys(value).length === 0;
      return false;
    },
  },
  first: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      if (typeof value === "string") return value.slice(0, 1);
      if (Array.isArray(value)) return value[0] ?? null;
      throw sequenceError(call, value);
    },
  },
  last: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      if (typeof value === "string") return value.slice(-1);
      if (Array.isArray(value)) return value[value.length - 1] ?? null;
      throw sequenceError(call, value);
    },
  },
  intersection: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: ([first, ...rest], call) => {
      if (Array.isArray(first)) {
        const others = rest.map((other) => asArray(call, other));
        return unique(
          first.filter((item) => others.every((other) => other.some((x) => templateValuesEqual(x, item)))),
        );
      }
      const others = rest.map((other) => asObject(call, other));
      const result: TemplateObject = {};
      for (const [key, value] of Object.entries(asObject(call, first))) {
        const inAll = others.every((other) => {
          const found = findProperty(other, key);
          return found !== undefined && templateValuesEqual(found.value, value);
        });
        if (inAll) result[key] = value;
      }
      return result;
    },
  },
  items: {
    minArgs: 1,
    maxArgs: 1,
    // docs: items() returns the entries sorted by key.
    invoke: ([value], call) =>
      Object.entries(asObject(call, value))
        .sort(([a], [b]) =>
          a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0,
        )
        .map(([key, item]) => ({ key, value: item })),
  },
  join: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([values, delimiter], call) =>
      asArray(call, values)
        .map((item) => asString(call, item))
        .join(asString(call, delimiter)),
  },
  json: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      try {
        return JSON.parse(asString(call, value)) as TemplateValue;
      } catch {
        throw invalidArgument(call, "The provided value is not valid JSON.");
      }
    },
  },
  length: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      if (typeof value === "string" || Array.isArray(value)) return value.length;
      if (isTemplateObject(value)) return Object.keys(value).length;
      throw new ExpressionError(
        `The template language function '${call.name}' expects its parameter to be an array, an object, or a string. The provided value is of type '${armTypeName(value)}'. Please see https://aka.ms/arm-function-length for usage details.`,
      );
    },
  },
  max: { minArgs: 1, maxArgs: UNBOUNDED, invoke: (args, call) => compareNumbers(call, args, Math.max) },
  min: { minArgs: 1, maxArgs: UNBOUNDED, invoke: (args, call) => compareNumbers(call, args, Math.min) },
  range: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([start, count], call) => {
      const from = asInteger(call, start);
      const n = asInteger(call, count);
      if (n < 0) throw invalidArgument(call, "The count must not be negative.");
      return Array.from({ length: n }, (_, i) => from + i);
    },
  },
  skip: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([sequence, count], call) => takeOrSkip(call, sequence, count, false),
  },
  take: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([sequence, count], call) => takeOrSkip(call, sequence, count, true),
  },
  union: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      if (Array.isArray(args[0])) return unique(args.flatMap((arg) => asArray(call, arg)));
      return args.map((arg) => asObject(call, arg)).reduce((merged, next) => mergeObjects(merged, next), {});
    },
  },
};
