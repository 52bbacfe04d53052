// Every template function the engine knows, by lower-case name; a name missing here is an error.

import { arrayObjectFunctions } from "./array-object-functions.ts";
import { comparisonFunctions } from "./comparison-functions.ts";
import { deploymentFunctions } from "./deployment-functions.ts";
import type { FunctionLibrary, TemplateFunction } from "./function-types.ts";
import { logicalFunctions } from "./logical-functions.ts";
import { numericFunctions } from "./numeric-functions.ts";
import { genericListFunction, resourceFunctions } from "./resource-functions.ts";
import { stringFunctions } from "./string-functions.ts";

const functionLibrary: FunctionLibrary = {
  ...stringFunctions,
  ...arrayObjectFunctions,
  ...logicalFunctions,
  ...comparisonFunctions,
  ...numericFunctions,
  ...deploymentFunctions,
  ...resourceFunctions,
};

/** The function a name refers to; list* names (listSecrets...) go to the runtime's generic list. */
export function lookUpFunction(name: string): TemplateFunction | undefined {
  const lower = name.toLowerCase();
  const known = functionLibrary[lower];
  if (known !== undefined) return known;
  if (/^list[a-z]/.test(lower)) return genericListFunction;
  return undefined;
}

/** Names of the supported functions, in lower case (list* functions beyond listKeys go to the runtime). */
export function supportedFunctionNames(): string[] {
  return Object.keys(functionLibrary).sort();
}
