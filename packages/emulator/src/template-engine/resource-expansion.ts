// Turns the template's resources into instances: nested children flattened (type and name composed),
// copy loops expanded, and name, type, apiVersion, condition, scope and dependsOn evaluated.

import {
  ExpressionError,
  expressionReasons,
  incorrectSegmentLengths,
  invalidResource,
  requiredPropertyMissing,
  resourceExpressionsFailed,
  resourceNameMissing,
  templateParseFailed,
} from "./errors.ts";
import type { EvaluationScope } from "./evaluation-scope.ts";
import { appendPath, evaluateTemplateValue, PathedExpressionError } from "./expression-evaluator.ts";
import {
  extensionResourceId,
  namesMatchType,
  resourceGroupResourceId,
  scopeToResourceId,
  splitResourceNames,
  splitResourceType,
} from "./resource-ids.ts";
import {
  armTypeName,
  findProperty,
  isTemplateObject,
  type TemplateObject,
  type TemplateValue,
} from "./template-values.ts";

interface ResourceDeclaration {
  definition: TemplateObject;
  templatePath: string;
  parent: ResourceDeclaration | undefined;
}

/** One resource to deploy (or skip), before dependencies are resolved. */
export interface ResourceInstance {
  declaration: ResourceDeclaration;
  templatePath: string;
  id: string;
  type: string;
  name: string;
  apiVersion: string;
  scope?: string;
  condition: boolean;
  /** dependsOn as evaluated strings (names, typed names, IDs or copy loop names). */
  dependsOn: string[];
  /** Instances this one waits for without a dependsOn: the previous batch of a serial copy loop. */
  serialPredecessors: ResourceInstance[];
  copy?: { name: string; index: number; count: number };
  /** The scope the instance's expressions are evaluated in (its copy index included). */
  evaluationScope: EvaluationScope;
}

/** Lists every declaration, children after their parent, in template order. */
function declarationsOf(
  resources: TemplateValue,
  basePath: string,
  parent: ResourceDeclaration | undefined,
): ResourceDeclaration[] {
  if (!Array.isArray(resources)) {
    throw templateParseFailed(
      "The 'resources' property must be an array. Templates with languageVersion 2.0 (resources as an object) are not supported by this emulator.",
      basePath,
    );
  }
  return resources.flatMap((definition, index) => {
    const templatePath = `${basePath}[${index}]`;
    if (!isTemplateObject(definition))
      throw templateParseFailed("A resource must be a JSON object.", templatePath);
    const declaration: ResourceDeclaration = { definition, templatePath, parent };
    const children = findProperty(definition, "resources");
    return [
      declaration,
      ...(children === undefined
        ? []
        : declarationsOf(children.value, `${templatePath}.resources`, declaration)),
    ];
  });
}

/** Evaluates one property of a resource at prepare time, wrapping failures as ARM does. */
function evaluateProperty(
  definition: TemplateObject,
  property: string,
  scope: EvaluationScope,
  templatePath: string,
  displayName: string,
): TemplateValue | undefined {
  const found = findProperty(definition, property);
  if (found === undefined) return undefined;
  try {
    return evaluateTemplateValue(found.value, scope, { expandPropertyCopy: false });
  } catch (error) {
    if (error instanceof PathedExpressionError) {
      throw invalidResource(
        displayName,
        error.reason,
        appendPath(`${templatePath}.${found.key}`, error.relativePath),
      );
    }
    throw error;
  }
}

function rawName(definition: TemplateObject): string {
  const name = findProperty(definition, "name")?.value;
  return typeof name === "string" ? name : "";
}

function isRelativeChildType(type: string): boolean {
  const [first = ""] = type.split("/");
  return !first.includes(".");
}

interface Identity {
  type: string;
  name: string;
}

/** Composes a nested child's full type and name from its parent's (ARM docs: "Set name and type for child resources"). */
function composeIdentity(
  type: string,
  name: string,
  parent: Identity | undefined,
  templatePath: string,
): Identity {
  if (parent === undefined) {
    if (!namesMatchType(type, [name])) throw incorrectSegmentLengths(name, type, templatePath);
    return { type, name };
  }
  const fullType = isRelativeChildType(type) ? `${parent.type}/${type}` : type;
  const needed = splitResourceType(fullType).types.length;
  const segments = splitResourceNames([name]);
  let fullName = name;
  if (segments.length !== needed && segments.length === needed - splitResourceNames([parent.name]).length) {
    fullName = `${parent.name}/${name}`;
  }
  if (!namesMatchType(fullType, [fullName])) throw incorrectSegmentLengths(name, fullType, templatePath);
  return { type: fullType, name: fullName };
}

export function expandResources(template: TemplateObject, baseScope: EvaluationScope): ResourceInstance[] {
  const resources = findProperty(template, "resources");
  if (resources === undefined) throw requiredPropertyMissing("resources");
  const declarations = declarationsOf(resources.value, "resources", undefined);
  const instancesByDeclaration = new Map<ResourceDeclaration, ResourceInstance[]>();
  const instances: ResourceInstance[] = [];

  for (const declaration of declarations) {
    const { definition, templatePath, parent } = declaration;
    const copy = findProperty(definition, "copy")?.value;
    const parentInstances = parent === undefined ? [undefined] : (instancesByDeclaration.get(parent) ?? []);
    const hasChildren = findProperty(definition, "resources") !== undefined;

    if (copy !== undefined && (parent !== undefined || hasChildren)) {
      throw invalidResource(rawName(definition), expressionReasons.nestedCopy(), `${templatePath}.copy`);
    }

    const loops =
      copy === undefined ? [undefined] : loopIndices(copy, baseScope, templatePath, rawName(definition));
    const created: ResourceInstance[] = [];
    for (const parentInstance of parentInstances) {
      for (const loop of loops) {
        const scope = loop === undefined ? baseScope : baseScope.withLoop(loop.name, loop.index, true);
        created.push(createInstance(declaration, scope, parentInstance, loop));
      }
    }
    if (isTemplateObject(copy))
      chainSerialBatches(copy, created, baseScope, templatePath, rawName(definition));
    instancesByDeclaration.set(declaration, created);
    instances.push(...created);
  }
  return instances;
}

/**
 * docs (copy-resources): with "mode": "serial", instances deploy in batches of batchSize (default 1),
 * each batch after the previous one.
 */
function chainSerialBatches(
  copy: TemplateObject,
  created: ResourceInstance[],
  scope: EvaluationScope,
  templatePath: string,
  displayName: string,
) {
  const mode = evaluateProperty(copy, "mode", scope, `${templatePath}.copy`, displayName);
  if (typeof mode !== "string" || mode.toLowerCase() !== "serial") return;
  const batchSize = evaluateProperty(copy, "batchSize", scope, `${templatePath}.copy`, displayName) ?? 1;
  if (typeof batchSize !== "number" || !Number.isInteger(batchSize) || batchSize < 1) {
    throw invalidResource(
      displayName,
      `The copy batchSize must be a positive integer; it is '${String(batchSize)}'.`,
      `${templatePath}.copy.batchSize`,
    );
  }
  created.forEach((instance, position) => {
    const batch = Math.floor(position / batchSize);
    if (batch > 0) instance.serialPredecessors = created.slice((batch - 1) * batchSize, batch * batchSize);
  });
}

function loopIndices(copy: TemplateValue, scope: EvaluationScope, templatePath: string, displayName: string) {
  if (!isTemplateObject(copy))
    throw templateParseFailed("The resource 'copy' property must be an object.", `${templatePath}.copy`);
  const name = evaluateProperty(copy, "name", scope, `${templatePath}.copy`, displayName);
  const count = evaluateProperty(copy, "count", scope, `${templatePath}.copy`, displayName);
  if (typeof name !== "string" || name === "") throw requiredPropertyMissing("name", `${templatePath}.copy`);
  if (typeof count !== "number" || !Number.isInteger(count) || count < 0 || count > 800) {
    // docs (copy-resources): count must be a non-negative integer no greater than 800.
    throw invalidResource(
      displayName,
      `The copy count must be a non-negative integer not greater than 800; it is '${String(count)}'.`,
      `${templatePath}.copy.count`,
    );
  }
  return Array.from({ length: count }, (_, index) => ({ name, index, count }));
}

function createInstance(
  declaration: ResourceDeclaration,
  scope: EvaluationScope,
  parent: ResourceInstance | undefined,
  loop: { name: string; index: number; count: number } | undefined,
): ResourceInstance {
  const { definition, templatePath } = declaration;
  const display = rawName(definition);
  const name = evaluateProperty(definition, "name", scope, templatePath, display);
  if (typeof name !== "string" || name === "") throw resourceNameMissing(`${templatePath}.name`);
  const type = evaluateProperty(definition, "type", scope, templatePath, name);
  if (typeof type !== "string" || type === "") throw requiredPropertyMissing("type", templatePath);
  const apiVersion = evaluateProperty(definition, "apiVersion", scope, templatePath, name);
  if (typeof apiVersion !== "string" || apiVersion === "")
    throw requiredPropertyMissing("apiVersion", templatePath);

  const identity = composeIdentity(type, name, parent, `${templatePath}.name`);
  const condition = evaluateProperty(definition, "condition", scope, templatePath, name) ?? true;
  if (typeof condition !== "boolean") {
    throw invalidResource(
      name,
      expressionReasons.conditionNotBoolean(armTypeName(condition)),
      `${templatePath}.condition`,
    );
  }

  const { subscriptionId, resourceGroup } = scope.context;
  const targetSubscription = evaluateProperty(definition, "subscriptionId", scope, templatePath, name);
  const targetGroup = evaluateProperty(definition, "resourceGroup", scope, templatePath, name);
  const subscription = typeof targetSubscription === "string" ? targetSubscription : subscriptionId;
  const group = typeof targetGroup === "string" ? targetGroup : resourceGroup.name;

  const scopeValue = evaluateProperty(definition, "scope", scope, templatePath, name);
  let scopeId: string | undefined;
  if (scopeValue !== undefined) {
    scopeId = typeof scopeValue === "string" ? scopeToResourceId(scopeValue, subscription, group) : undefined;
    if (scopeId === undefined) {
      throw invalidResource(
        name,
        `The scope '${String(scopeValue)}' is not valid: use a resource ID or the form '{namespace}/{type}/{name}'.`,
        `${templatePath}.scope`,
      );
    }
  }
  const names = splitResourceNames([identity.name]);
  const id =
    scopeId === undefined
      ? resourceGroupResourceId(subscription, group, identity.type, names)
      : extensionResourceId(scopeId, identity.type, names);

  const dependsOnValue = evaluateProperty(definition, "dependsOn", scope, templatePath, name) ?? [];
  if (!Array.isArray(dependsOnValue) || !dependsOnValue.every((entry) => typeof entry === "string")) {
    throw invalidResource(
      name,
      "The 'dependsOn' property must be an array of strings.",
      `${templatePath}.dependsOn`,
    );
  }

  const instance: ResourceInstance = {
    declaration,
    templatePath,
    id,
    type: identity.type,
    name: identity.name,
    apiVersion,
    // A child of a parent that is not deployed is not deployed either.
    condition: condition && (parent?.condition ?? true),
    dependsOn: dependsOnValue as string[],
    serialPredecessors: [],
    evaluationScope: scope,
  };
  if (scopeId !== undefined) instance.scope = scopeId;
  if (loop !== undefined) instance.copy = loop;
  return instance;
}

/** Keys of a resource that steer the deployment and are not part of the body sent to the provider. */
const STRUCTURAL_KEYS = new Set([
  "type",
  "name",
  "apiversion",
  "dependson",
  "copy",
  "condition",
  "resources",
  "scope",
  "comments",
  "metadata",
  "subscriptionid",
  "resourcegroup",
]);

/** Evaluates a resource's body (location, tags, sku, properties...) in the given scope. */
export function evaluateResourceBody(instance: ResourceInstance, scope: EvaluationScope): TemplateObject {
  const body: TemplateObject = {};
  for (const [key, value] of Object.entries(instance.declaration.definition)) {
    if (STRUCTURAL_KEYS.has(key.toLowerCase())) continue;
    try {
      body[key] = evaluateTemplateValue(value, scope, { expandPropertyCopy: true }, key);
    } catch (error) {
      // Failures here happen while the deployment runs (reference() of a resource that failed...).
      if (error instanceof PathedExpressionError) {
        throw resourceExpressionsFailed(
          instance.id,
          error.reason,
          appendPath(instance.templatePath, error.relativePath),
        );
      }
      if (error instanceof ExpressionError) {
        throw resourceExpressionsFailed(instance.id, error.message, `${instance.templatePath}.${key}`);
      }
      throw error;
    }
  }
  return body;
}
