// The JSON values a template expression works on, and how ARM names, compares and looks them up.

export type TemplateValue = null | boolean | number | string | TemplateValue[] | TemplateObject;
export interface TemplateObject {
  [key: string]: TemplateValue;
}

export function isTemplateObject(value: unknown): value is TemplateObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** ARM reports value types by their JSON.NET token names (for example "The provided value is of type 'Integer'"). */
export function armTypeName(value: TemplateValue | undefined): string {
  if (value === null || value === undefined) return "Null";
  if (typeof value === "string") return "String";
  if (typeof value === "boolean") return "Boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "Integer" : "Float";
  if (Array.isArray(value)) return "Array";
  return "Object";
}

/** How a type a template declares (for a parameter or an output) is checked and reported. */
export interface DeclaredType {
  /** The armTypeName a value of the type has. */
  json: string;
  /** The name a deployment reports it under (properties.parameters, properties.outputs). */
  response: string;
}

const DECLARED_TYPES: Record<string, DeclaredType> = {
  string: { json: "String", response: "String" },
  securestring: { json: "String", response: "SecureString" },
  int: { json: "Integer", response: "Int" },
  bool: { json: "Boolean", response: "Bool" },
  object: { json: "Object", response: "Object" },
  secureobject: { json: "Object", response: "SecureObject" },
  array: { json: "Array", response: "Array" },
};

/** A type name as a template declares it (any case), or undefined for one ARM does not know. */
export function declaredType(name: string): DeclaredType | undefined {
  return DECLARED_TYPES[name.toLowerCase()];
}

/**
 * Finds an object property the way ARM does: an exact match first, then any case
 * (PSRule.Rules.Azure#794 describes it; docs: "searching for a key in an object is case-insensitive").
 */
export function findProperty(
  object: TemplateObject,
  name: string,
): { key: string; value: TemplateValue } | undefined {
  if (Object.hasOwn(object, name)) return { key: name, value: object[name] as TemplateValue };
  const lower = name.toLowerCase();
  for (const key of Object.keys(object)) {
    if (key.toLowerCase() === lower) return { key, value: object[key] as TemplateValue };
  }
  return undefined;
}

/** Deep equality as ARM's equals(): strings case-sensitive, object keys case-insensitive. */
export function templateValuesEqual(a: TemplateValue, b: TemplateValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) {
    return (
      a.length === b.length && a.every((item, index) => templateValuesEqual(item, b[index] as TemplateValue))
    );
  }
  if (isTemplateObject(a) && isTemplateObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => {
      const other = findProperty(b, key);
      return other !== undefined && templateValuesEqual(a[key] as TemplateValue, other.value);
    });
  }
  return false;
}

/** Turns an arbitrary parsed-JSON value into a TemplateValue, rejecting what JSON cannot hold. */
export function toTemplateValue(value: unknown): TemplateValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") return value;
  if (Array.isArray(value)) return value.map(toTemplateValue);
  if (typeof value === "object") {
    const result: TemplateObject = {};
    for (const [key, item] of Object.entries(value)) result[key] = toTemplateValue(item);
    return result;
  }
  throw new TypeError(`A template value must be JSON, not ${typeof value}`);
}

/**
 * How ARM turns a value into text inside concat(), format() and string(): strings as they are,
 * booleans as .NET prints them ('True'/'False', see PSRule.Rules.Azure#794), the rest as compact JSON.
 */
export function templateValueToText(value: TemplateValue): string {
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  if (value === null) return "";
  return JSON.stringify(value);
}
