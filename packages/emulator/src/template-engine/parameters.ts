// Template parameters: reads supplied values, applies defaults, checks types and constraints as ARM does.

import type { DeploymentParameter, KeyVaultSecretResolver } from "./deployment-types.ts";
import {
  ExpressionError,
  expressionReasons,
  invalidParameterDefault,
  parameterLengthOutOfRange,
  parameterNotAllowed,
  parameterNotProvided,
  parameterTypeMismatch,
  parameterValueNull,
  parameterValueOutOfRange,
  TemplateError,
  templateParseFailed,
  unknownParametersSupplied,
  unsupportedParameterType,
} from "./errors.ts";
import type { EvaluationScope } from "./evaluation-scope.ts";
import { evaluateTemplateValue, ResolvedOnce, reportExpressionErrors } from "./expression-evaluator.ts";
import {
  armTypeName,
  type DeclaredType,
  declaredType,
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
  templateValuesEqual,
  toTemplateValue,
} from "./template-values.ts";

/**
 * Parameters as a deployment receives them: either the `parameters` of a deployment request
 * (`{ "name": { "value": x } }`) or a whole deploymentParameters.json document
 * (`{ "$schema": ..., "contentVersion": ..., "parameters": { "name": { "value": x } } }`).
 */
export type ParametersFile = Record<string, unknown>;

interface SuppliedParameter {
  name: string;
  /** Present when the caller gave "value" (possibly null). */
  value?: TemplateValue;
  hasValue: boolean;
  reference?: TemplateObject;
}

/** Normalises both parameter shapes to one map by lower-case name. */
export function readSuppliedParameters(input: unknown): Map<string, SuppliedParameter> {
  const result = new Map<string, SuppliedParameter>();
  if (input === undefined || input === null) return result;
  if (!isTemplateObject(input))
    throw templateParseFailed("The parameters must be a JSON object.", "parameters");
  const document = toTemplateValue(input) as TemplateObject;
  const isFullDocument = Object.hasOwn(document, "$schema") || Object.hasOwn(document, "contentVersion");
  const entries = isFullDocument ? (document.parameters ?? {}) : document;
  if (!isTemplateObject(entries))
    throw templateParseFailed("The parameters must be a JSON object.", "parameters");
  for (const [name, entry] of Object.entries(entries)) {
    if (!isTemplateObject(entry)) {
      throw templateParseFailed(
        `The parameter '${name}' must be an object with a 'value' or a 'reference'.`,
        `parameters.${name}`,
      );
    }
    const value = findProperty(entry, "value");
    const reference = findProperty(entry, "reference");
    const supplied: SuppliedParameter = { name, hasValue: value !== undefined };
    if (value !== undefined) supplied.value = value.value;
    if (reference !== undefined && isTemplateObject(reference.value)) supplied.reference = reference.value;
    result.set(name.toLowerCase(), supplied);
  }
  return result;
}

interface Declaration {
  name: string;
  /** The declared type's name, lowercase. */
  type: string;
  declared: DeclaredType;
  definition: TemplateObject;
}

/** Resolves parameter values lazily, so defaults may use other parameters in any order. */
export class ParameterResolver {
  readonly #declarations = new Map<string, Declaration>();
  readonly #supplied: Map<string, SuppliedParameter>;
  readonly #resolved = new ResolvedOnce();
  readonly #scope: () => EvaluationScope;
  readonly #keyVault: KeyVaultSecretResolver | undefined;

  constructor(
    declarations: TemplateObject,
    supplied: Map<string, SuppliedParameter>,
    scope: () => EvaluationScope,
    keyVault?: KeyVaultSecretResolver,
  ) {
    for (const [name, definition] of Object.entries(declarations)) {
      if (!isTemplateObject(definition))
        throw templateParseFailed(
          `The template parameter '${name}' must be an object.`,
          `parameters.${name}`,
        );
      const type = findProperty(definition, "type")?.value;
      if (typeof type !== "string")
        throw templateParseFailed(
          `Required property 'type' not found in JSON. Path 'parameters.${name}'.`,
          `parameters.${name}`,
        );
      const declared = declaredType(type);
      if (declared === undefined) throw unsupportedParameterType(name, type);
      this.#declarations.set(name.toLowerCase(), { name, type: type.toLowerCase(), declared, definition });
    }
    this.#supplied = supplied;
    this.#scope = scope;
    this.#keyVault = keyVault;
  }

  /** ARM rejects values for parameters the template does not declare. */
  rejectUnknownSupplied(): void {
    const unknown = [...this.#supplied.values()]
      .filter((p) => !this.#declarations.has(p.name.toLowerCase()))
      .map((p) => p.name);
    if (unknown.length > 0) {
      throw unknownParametersSupplied(
        unknown,
        [...this.#declarations.values()].map((d) => d.name),
      );
    }
  }

  has(name: string): boolean {
    return this.#declarations.has(name.toLowerCase());
  }

  /** The value of one parameter; inside expressions an undeclared name is an ExpressionError. */
  get(name: string): TemplateValue {
    const key = name.toLowerCase();
    const declaration = this.#declarations.get(key);
    if (declaration === undefined) throw new ExpressionError(expressionReasons.parameterNotFound(name));
    return this.#resolved.get(
      key,
      () => this.#resolve(declaration),
      () =>
        new ExpressionError(
          `The template parameter '${declaration.name}' refers to itself through its default value.`,
        ),
    );
  }

  resolveAll(): Record<string, TemplateValue> {
    const result: Record<string, TemplateValue> = {};
    for (const declaration of this.#declarations.values())
      result[declaration.name] = this.get(declaration.name);
    return result;
  }

  /** properties.parameters of a deployment as Azure returns it: declared type, and value unless secure. */
  describeForResponse(): Record<string, DeploymentParameter> {
    const result: Record<string, DeploymentParameter> = {};
    for (const declaration of this.#declarations.values()) {
      const type = declaration.declared.response;
      result[declaration.name] = type.startsWith("Secure")
        ? { type }
        : { type, value: this.get(declaration.name) };
    }
    return result;
  }

  #resolve(declaration: Declaration): TemplateValue {
    const supplied = this.#supplied.get(declaration.name.toLowerCase());
    let value: TemplateValue;
    if (supplied?.hasValue === true) {
      if (supplied.value === null || supplied.value === undefined) throw parameterValueNull(declaration.name);
      value = supplied.value;
    } else if (supplied?.reference !== undefined) {
      value = this.#resolveKeyVaultReference(declaration.name, supplied.reference);
    } else {
      const fallback = findProperty(declaration.definition, "defaultValue");
      if (fallback === undefined) throw parameterNotProvided(declaration.name);
      value = this.#evaluateDefault(declaration.name, fallback.value);
    }
    this.#check(declaration, value);
    return value;
  }

  #evaluateDefault(name: string, defaultValue: TemplateValue): TemplateValue {
    return reportExpressionErrors(
      `parameters.${name}.defaultValue`,
      (reason, path) => invalidParameterDefault(name, reason, path),
      () => evaluateTemplateValue(defaultValue, this.#scope(), { expandPropertyCopy: false }),
    );
  }

  #resolveKeyVaultReference(name: string, reference: TemplateObject): TemplateValue {
    const keyVault = findProperty(reference, "keyVault")?.value;
    const vaultId = isTemplateObject(keyVault) ? findProperty(keyVault, "id")?.value : undefined;
    const secretName = findProperty(reference, "secretName")?.value;
    const secretVersion = findProperty(reference, "secretVersion")?.value;
    if (typeof vaultId !== "string" || typeof secretName !== "string") {
      throw templateParseFailed(
        `The Key Vault reference of parameter '${name}' needs keyVault.id and secretName.`,
        `parameters.${name}.reference`,
      );
    }
    if (this.#keyVault === undefined) {
      throw new TemplateError({
        code: "InvalidTemplate",
        message: `Deployment template validation failed: 'The parameter '${name}' is a Key Vault reference, which this deployment cannot resolve.'.`,
        templatePath: `parameters.${name}`,
      });
    }
    return this.#keyVault(vaultId, secretName, typeof secretVersion === "string" ? secretVersion : undefined);
  }

  #check(declaration: Declaration, value: TemplateValue): void {
    const { name, definition } = declaration;
    const expected = declaration.declared.json;
    if (armTypeName(value) !== expected) throw parameterTypeMismatch(name, expected, armTypeName(value));

    const allowed = findProperty(definition, "allowedValues")?.value;
    if (Array.isArray(allowed)) {
      // For an array parameter every element must be allowed (docs: parameters, "Allowed values").
      const candidates = Array.isArray(value) && declaration.type === "array" ? value : [value];
      if (
        !candidates.every((candidate) => allowed.some((option) => templateValuesEqual(option, candidate)))
      ) {
        throw parameterNotAllowed(name);
      }
    }

    if (typeof value === "string" || Array.isArray(value)) {
      const minLength = findProperty(definition, "minLength")?.value;
      const maxLength = findProperty(definition, "maxLength")?.value;
      if (typeof minLength === "number" && value.length < minLength)
        throw parameterLengthOutOfRange(name, "greater", minLength);
      if (typeof maxLength === "number" && value.length > maxLength)
        throw parameterLengthOutOfRange(name, "less", maxLength);
    }
    if (typeof value === "number") {
      const minValue = findProperty(definition, "minValue")?.value;
      const maxValue = findProperty(definition, "maxValue")?.value;
      if (typeof minValue === "number" && value < minValue)
        throw parameterValueOutOfRange(name, "greater", minValue);
      if (typeof maxValue === "number" && value > maxValue)
        throw parameterValueOutOfRange(name, "less", maxValue);
    }
  }
}
