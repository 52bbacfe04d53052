// String functions (ARM docs: "Template functions - string").

import { randomUUID } from "node:crypto";
import { deterministicGuid } from "../deterministic-guid.ts";
import { ExpressionError, expressionReasons } from "../errors.ts";
import {
  armTypeName,
  type TemplateValue,
  templateValuesEqual,
  templateValueToText,
} from "../template-values.ts";
import { uniqueString } from "../unique-string.ts";
import {
  asArray,
  asInteger,
  asString,
  type FunctionCall,
  type FunctionLibrary,
  invalidArgument,
  UNBOUNDED,
} from "./function-types.ts";

function textOf(call: FunctionCall, value: TemplateValue | undefined): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return templateValueToText(value);
  throw new ExpressionError(expressionReasons.argumentType(call.name, "String", armTypeName(value)));
}

function allStrings(call: FunctionCall, args: TemplateValue[]): string[] {
  return args.map((arg) => asString(call, arg));
}

const DATA_URI_PREFIX = /^data:([^,]*?)(;base64)?,/;

/** .NET composite formatting as format() uses it: {index[,alignment][:format]} with {{ and }} escapes. */
function compositeFormat(call: FunctionCall, pattern: string, values: TemplateValue[]): string {
  let result = "";
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i] as string;
    if (char === "{" && pattern[i + 1] === "{") {
      result += "{";
      i += 2;
      continue;
    }
    if (char === "}" && pattern[i + 1] === "}") {
      result += "}";
      i += 2;
      continue;
    }
    if (char === "{") {
      const end = pattern.indexOf("}", i);
      const match = end < 0 ? null : /^(\d+)(?:,(-?\d+))?(?::(.*))?$/.exec(pattern.slice(i + 1, end));
      const index = match === null ? -1 : Number(match[1]);
      if (match === null || index >= values.length) {
        // ARM's own wording for this case (Azure/bicep baselines, "testFormat").
        throw new ExpressionError(
          `Unable to evaluate language function 'format': the format is invalid: 'Index (zero based) must be greater than or equal to zero and less than the size of the argument list.'. Please see https://aka.ms/arm-function-format for usage details.`,
        );
      }
      let text = formatOne(values[index] as TemplateValue, match[3]);
      const alignment = match[2] === undefined ? 0 : Number(match[2]);
      if (alignment > 0) text = text.padStart(alignment);
      if (alignment < 0) text = text.padEnd(-alignment);
      result += text;
      i = end + 1;
      continue;
    }
    if (char === "}") throw invalidArgument(call, "The format string has an unmatched '}'.");
    result += char;
    i++;
  }
  return result;
}

/** The .NET numeric format strings templates use most: D (zero padded), N (grouped), X (hex). */
function formatOne(value: TemplateValue, format: string | undefined): string {
  if (format === undefined || typeof value !== "number") return templateValueToText(value);
  const spec = /^([DdNnXx])(\d*)$/.exec(format);
  if (spec === null) return templateValueToText(value);
  const precision = spec[2] === "" ? undefined : Number(spec[2]);
  switch (spec[1]) {
    case "D":
    case "d":
      return `${value < 0 ? "-" : ""}${String(Math.abs(Math.trunc(value))).padStart(precision ?? 0, "0")}`;
    case "N":
    case "n":
      return value.toLocaleString("en-US", {
        minimumFractionDigits: precision ?? 2,
        maximumFractionDigits: precision ?? 2,
      });
    default: {
      const hex = (Math.trunc(value) >>> 0).toString(16).padStart(precision ?? 0, "0");
      return spec[1] === "X" ? hex.toUpperCase() : hex;
    }
  }
}

export const stringFunctions: FunctionLibrary = {
  base64: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => Buffer.from(asString(call, value), "utf8").toString("base64"),
  },
  base64tostring: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => Buffer.from(asString(call, value), "base64").toString("utf8"),
  },
  base64tojson: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      const text = Buffer.from(asString(call, value), "base64").toString("utf8");
      try {
        return JSON.parse(text) as TemplateValue;
      } catch {
        throw invalidArgument(call, "The value is not valid JSON.");
      }
    },
  },
  concat: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      if (Array.isArray(args[0])) {
        return args.flatMap((arg) => (arg === null ? [] : asArray(call, arg)));
      }
      return args.map((arg) => (arg === null ? "" : textOf(call, arg))).join("");
    },
  },
  datauri: {
    minArgs: 1,
    maxArgs: 1,
    // docs: dataUri('Hello') is 'data:text/plain;charset=utf8;base64,SGVsbG8='.
    invoke: ([value], call) =>
      `data:text/plain;charset=utf8;base64,${Buffer.from(asString(call, value), "utf8").toString("base64")}`,
  },
  datauritostring: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => {
      const text = asString(call, value);
      const prefix = DATA_URI_PREFIX.exec(text);
      if (prefix === null) throw invalidArgument(call, "The value is not a valid data URI.");
      const data = text.slice(prefix[0].length);
      return prefix[2] === undefined
        ? decodeURIComponent(data)
        : Buffer.from(data, "base64").toString("utf8");
    },
  },
  endswith: {
    minArgs: 2,
    maxArgs: 2,
    // docs: endsWith('abcdef', 'F') is true: the comparison ignores case.
    invoke: ([text, suffix], call) =>
      asString(call, text).toLowerCase().endsWith(asString(call, suffix).toLowerCase()),
  },
  startswith: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([text, prefix], call) =>
      asString(call, text).toLowerCase().startsWith(asString(call, prefix).toLowerCase()),
  },
  format: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: ([pattern, ...values], call) => compositeFormat(call, asString(call, pattern), values),
  },
  guid: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => deterministicGuid(...allStrings(call, args)),
  },
  uniquestring: {
    minArgs: 1,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => uniqueString(...allStrings(call, args)),
  },
  indexof: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([haystack, needle], call) => {
      if (Array.isArray(haystack))
        return haystack.findIndex((item) => templateValuesEqual(item, needle ?? null));
      // docs: indexOf('abcdef', 'CD') is 2: string search ignores case.
      return asString(call, haystack).toLowerCase().indexOf(asString(call, needle).toLowerCase());
    },
  },
  lastindexof: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([haystack, needle], call) => {
      if (Array.isArray(haystack)) {
        for (let i = haystack.length - 1; i >= 0; i--)
          if (templateValuesEqual(haystack[i] as TemplateValue, needle ?? null)) return i;
        return -1;
      }
      return asString(call, haystack).toLowerCase().lastIndexOf(asString(call, needle).toLowerCase());
    },
  },
  newguid: { minArgs: 0, maxArgs: 0, locations: ["parameters"], invoke: () => randomUUID() },
  utcnow: {
    minArgs: 0,
    maxArgs: 1,
    locations: ["parameters"],
    invoke: ([format], call) => {
      const now = new Date();
      // docs: without a format, utcNow() returns ISO 8601 basic form, e.g. 20190305T175318Z.
      const pattern = format === undefined ? "yyyyMMddTHHmmssZ" : asString(call, format);
      if (pattern === "u")
        return now
          .toISOString()
          .replace("T", " ")
          .replace(/\.\d{3}Z$/, "Z");
      if (pattern === "d") return `${now.getUTCMonth() + 1}/${now.getUTCDate()}/${now.getUTCFullYear()}`;
      return pattern
        .replace("yyyy", String(now.getUTCFullYear()))
        .replace("MM", String(now.getUTCMonth() + 1).padStart(2, "0"))
        .replace("dd", String(now.getUTCDate()).padStart(2, "0"))
        .replace("HH", String(now.getUTCHours()).padStart(2, "0"))
        .replace("mm", String(now.getUTCMinutes()).padStart(2, "0"))
        .replace("ss", String(now.getUTCSeconds()).padStart(2, "0"));
    },
  },
  padleft: {
    minArgs: 2,
    maxArgs: 3,
    invoke: ([value, totalLength, padding], call) => {
      const text = typeof value === "number" ? String(value) : asString(call, value);
      const pad = padding === undefined ? " " : asString(call, padding);
      if (pad.length !== 1) throw invalidArgument(call, "The padding character must be a single character.");
      return text.padStart(asInteger(call, totalLength), pad);
    },
  },
  replace: {
    minArgs: 3,
    maxArgs: 3,
    invoke: ([text, oldValue, newValue], call) =>
      asString(call, text).split(asString(call, oldValue)).join(asString(call, newValue)),
  },
  split: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([text, delimiter], call) => {
      const input = asString(call, text);
      const delimiters = Array.isArray(delimiter)
        ? delimiter.map((item) => asString(call, item))
        : [asString(call, delimiter)];
      let parts = [input];
      for (const separator of delimiters) parts = parts.flatMap((part) => part.split(separator));
      return parts;
    },
  },
  string: { minArgs: 1, maxArgs: 1, invoke: ([value]) => templateValueToText(value ?? null) },
  substring: {
    minArgs: 2,
    maxArgs: 3,
    invoke: ([text, start, length], call) => {
      const input = asString(call, text);
      const index = asInteger(call, start);
      const count = length === undefined ? input.length - index : asInteger(call, length);
      if (index < 0 || count < 0 || index + count > input.length) {
        // Wording: chat-with-your-data-solution-accelerator#89.
        throw new ExpressionError(
          `Unable to evaluate the template language function 'substring'. The index and length parameters must refer to a location within the string. The index parameter: '${index}', the length parameter: '${count}', the length of the string parameter: '${input.length}'. Please see https://aka.ms/arm-function-substring for usage details.`,
        );
      }
      return input.substring(index, index + count);
    },
  },
  tolower: { minArgs: 1, maxArgs: 1, invoke: ([value], call) => asString(call, value).toLowerCase() },
  toupper: { minArgs: 1, maxArgs: 1, invoke: ([value], call) => asString(call, value).toUpperCase() },
  trim: { minArgs: 1, maxArgs: 1, invoke: ([value], call) => asString(call, value).trim() },
  uri: {
    minArgs: 2,
    maxArgs: 2,
    invoke: ([base, relative], call) => {
      try {
        return new URL(asString(call, relative), asString(call, base)).toString();
      } catch {
        throw invalidArgument(call, "The base URI is not an absolute URI.");
      }
    },
  },
  uricomponent: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => encodeURIComponent(asString(call, value)),
  },
  uricomponenttostring: {
    minArgs: 1,
    maxArgs: 1,
    invoke: ([value], call) => decodeURIComponent(asString(call, value)),
  },
};
