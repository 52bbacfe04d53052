// Validates a template with its parameters and plans its deployment: the engine's entry point.

import { orderByDependencies, ResourceIndex } from "./dependency-graph.ts";
import type {
  DeploymentContext,
  EvaluatedResource,
  KeyVaultSecretResolver,
  PreparedDeployment,
  ResourcePlan,
  RuntimeCallbacks,
} from "./deployment-types.ts";
import {
  expressionReasons,
  invalidOutput,
  invalidParameterDefault,
  invalidResource,
  invalidVariable,
  requiredPropertyMissing,
  templateParseFailed,
} from "./errors.ts";
import { type DeploymentState, EvaluationScope } from "./evaluation-scope.ts";
import { checkExpressions, checkSyntax } from "./expression-check.ts";
import { findImplicitDependencies } from "./implicit-dependencies.ts";
import { evaluateOutputs, validateOutputDeclarations } from "./outputs.ts";
import { ParameterResolver, type ParametersFile, readSuppliedParameters } from "./parameters.ts";
import { evaluateResourceBody, expandResources, type ResourceInstance } from "./resource-expansion.ts";
import { templateHash } from "./template-hash.ts";
import {
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
  toTemplateValue,
} from "./template-values.ts";
import { VariableResolver } from "./variables.ts";

export interface PrepareDeploymentInput {
  /** The template as parsed JSON (properties.template, or a catalog template). */
  template: unknown;
  /** Either `{ "p": { "value": x } }` or a whole deploymentParameters.json document. */
  parameters?: ParametersFile | undefined;
  context: DeploymentContext;
  /** Resolves Key Vault parameter references; without it they are rejected. */
  keyVaultSecret?: KeyVaultSecretResolver;
}

function objectSection(template: TemplateObject, name: string): TemplateObject {
  const section = findProperty(template, name)?.value;
  if (section === undefined || section === null) return {};
  if (!isTemplateObject(section))
    throw templateParseFailed(`The '${name}' property must be a JSON object.`, name);
  return section;
}

/**
 * Checks the template and parameters as ARM's validation does, and returns the resources in
 * deployment order with functions to evaluate each body and the outputs. Throws TemplateError.
 */
export function prepareDeployment(input: PrepareDeploymentInput): PreparedDeployment {
  if (!isTemplateObject(input.template)) throw templateParseFailed("The template must be a JSON object.");
  const template = toTemplateValue(input.template) as TemplateObject;
  // ARM rejects a template without these ("Required property 'contentVersion' not found in JSON").
  for (const required of ["$schema", "contentVersion", "resources"]) {
    if (findProperty(template, required) === undefined) throw requiredPropertyMissing(required);
  }

  const parameterDeclarations = objectSection(template, "parameters");
  const variableDeclarations = objectSection(template, "variables");
  const outputs = objectSection(template, "outputs");
  validateOutputDeclarations(outputs);
  checkTemplateExpressions(template, parameterDeclarations, variableDeclarations, outputs);

  const context = input.context;
  const hash = templateHash(template);
  const supplied = readSuppliedParameters(input.parameters);
  let index: ResourceIndex | undefined;

  const state: DeploymentState = {
    context,
    parameter: (name) => parameters.get(name),
    variable: (name) => variables.get(name),
    deploymentObject: () => deploymentObject(context, template, hash, supplied),
    templateResourceId: (reference) => index?.byNameOrTypedName(reference)?.id,
  };
  const parameters = new ParameterResolver(
    parameterDeclarations,
    supplied,
    () => new EvaluationScope("parameters", state),
    input.keyVaultSecret,
  );
  const variables = new VariableResolver(variableDeclarations, () => new EvaluationScope("variables", state));

  parameters.rejectUnknownSupplied();
  const parameterValues = parameters.resolveAll();
  const variableValues = variables.resolveAll();

  const instances = expandResources(template, new EvaluationScope("resources", state));
  checkResourceFunctions(instances);
  index = new ResourceIndex(instances);
  const implicit = findImplicitDependencies(instances, index);
  for (const instance of instances) {
    if (instance.serialPredecessors.length > 0) {
      implicit.set(instance, [...(implicit.get(instance) ?? []), ...instance.serialPredecessors]);
    }
  }
  const { ordered, dependenciesOf } = orderByDependencies(instances, index, implicit);

  const planOf = new Map<ResourceInstance, ResourcePlan>();
  for (const instance of ordered) {
    const plan: ResourcePlan = {
      id: instance.id,
      type: instance.type,
      name: instance.name,
      apiVersion: instance.apiVersion,
      // A dependency whose condition is false is dropped, as ARM does.
      dependsOn: (dependenciesOf.get(instance) ?? [])
        .filter((dependency) => dependency.condition)
        .map((dependency) => dependency.id),
      templatePath: instance.templatePath,
    };
    if (instance.scope !== undefined) plan.scope = instance.scope;
    if (instance.copy !== undefined) plan.copy = { ...instance.copy };
    planOf.set(instance, plan);
  }
  const instanceById = new Map(ordered.map((instance) => [instance.id.toLowerCase(), instance]));

  return {
    parameterValues,
    parameters: parameters.describeForResponse(),
    variables: variableValues,
    resources: ordered
      .filter((instance) => instance.condition)
      .map((instance) => planOf.get(instance) as ResourcePlan),
    skippedResources: ordered
      .filter((instance) => !instance.condition)
      .map((instance) => planOf.get(instance) as ResourcePlan),
    templateHash: hash,
    evaluateResource(resource: ResourcePlan, runtime: RuntimeCallbacks): EvaluatedResource {
      const instance = instanceById.get(resource.id.toLowerCase());
      if (instance === undefined)
        throw new RangeError(`The resource '${resource.id}' is not part of this deployment.`);
      const body = evaluateResourceBody(instance, instance.evaluationScope.withRuntime(runtime));
      const evaluated: EvaluatedResource = {
        id: instance.id,
        type: instance.type,
        name: instance.name,
        apiVersion: instance.apiVersion,
        body,
      };
      if (instance.scope !== undefined) evaluated.scope = instance.scope;
      return evaluated;
    },
    evaluateOutputs(runtime: RuntimeCallbacks) {
      return evaluateOutputs(outputs, new EvaluationScope("outputs", state, runtime));
    },
  };
}

/**
 * ARM validates every expression before it evaluates any: a syntax error anywhere fails the template,
 * and an unknown function is reported for its element even in an if() branch that would not run.
 */
function checkTemplateExpressions(
  template: TemplateObject,
  parameters: TemplateObject,
  variables: TemplateObject,
  outputs: TemplateObject,
): void {
  const unknownIn =
    (wrap: (reason: string, path: string) => Error) =>
    (functionName: string, path: string): never => {
      throw wrap(expressionReasons.unknownFunction(functionName), path);
    };
  const defaults = Object.entries(parameters).flatMap(([name, definition]) => {
    const fallback = isTemplateObject(definition) ? findProperty(definition, "defaultValue") : undefined;
    return fallback === undefined
      ? []
      : [{ name, value: fallback.value, path: `parameters.${name}.${fallback.key}` }];
  });
  // Syntax first, over every section that holds expressions.
  for (const { value, path } of defaults) checkSyntax(value, path);
  checkSyntax(variables, "variables");
  checkSyntax(findProperty(template, "resources")?.value ?? [], "resources");
  checkSyntax(outputs, "outputs");

  for (const { name, value, path } of defaults)
    checkExpressions(
      value,
      path,
      unknownIn((reason, at) => invalidParameterDefault(name, reason, at)),
    );
  for (const [name, value] of Object.entries(variables)) {
    checkExpressions(
      value,
      `variables.${name}`,
      unknownIn((reason, at) => invalidVariable(name, reason, at)),
    );
  }
  for (const [name, value] of Object.entries(outputs)) {
    checkExpressions(
      value,
      `outputs.${name}`,
      unknownIn((reason, at) => invalidOutput(name, reason, at)),
    );
  }
}

/** Unknown functions in resource bodies, reported with the resource's name (once per declaration). */
function checkResourceFunctions(instances: readonly ResourceInstance[]): void {
  const seen = new Set<unknown>();
  for (const instance of instances) {
    if (seen.has(instance.declaration)) continue;
    seen.add(instance.declaration);
    for (const [key, value] of Object.entries(instance.declaration.definition)) {
      if (key.toLowerCase() === "resources") continue;
      checkExpressions(value, `${instance.templatePath}.${key}`, (functionName, path) => {
        throw invalidResource(instance.name, expressionReasons.unknownFunction(functionName), path);
      });
    }
  }
}

/** What deployment() returns (docs: "deployment", resource group scope). */
function deploymentObject(
  context: DeploymentContext,
  template: TemplateObject,
  hash: string,
  supplied: ReturnType<typeof readSuppliedParameters>,
): TemplateValue {
  const parameters: TemplateObject = {};
  for (const parameter of supplied.values()) {
    const entry: TemplateObject = {};
    if (parameter.hasValue) entry.value = parameter.value ?? null;
    if (parameter.reference !== undefined) entry.reference = parameter.reference;
    parameters[parameter.name] = entry;
  }
  const properties: TemplateObject = {};
  if (context.templateLink !== undefined) {
    const link: TemplateObject = { uri: context.templateLink.uri };
    if (context.templateLink.contentVersion !== undefined)
      link.contentVersion = context.templateLink.contentVersion;
    properties.templateLink = link;
  }
  Object.assign(properties, {
    template: structuredClone(template),
    templateHash: hash,
    parameters,
    mode: context.mode ?? "Incremental",
    provisioningState: "Accepted",
  });
  return { name: context.deploymentName, properties };
}
