// Resource functions (ARM docs: "Template functions - resources"): IDs, scopes, reference() and list*().

import { ExpressionError, expressionReasons, TemplateError } from "../errors.ts";
import {
  extensionResourceId,
  namesMatchType,
  resourceGroupId,
  resourceGroupResourceId,
  scopeToResourceId,
  subscriptionResourceId,
  tenantResourceId,
} from "../resource-ids.ts";
import type { TemplateValue } from "../template-values.ts";
import {
  asString,
  type EagerFunction,
  type FunctionCall,
  type FunctionLibrary,
  invalidArgument,
  UNBOUNDED,
} from "./function-types.ts";

function allStrings(call: FunctionCall, args: TemplateValue[]): string[] {
  if (!args.every((arg) => typeof arg === "string")) {
    throw new ExpressionError(expressionReasons.resourceIdArgumentsNotStrings(call.name));
  }
  return args as string[];
}

/** Splits (leading scope arguments..., type, names...) at the type: the first argument with a '/'. */
function splitAtType(call: FunctionCall, args: string[], maxLeading: number) {
  const typeIndex = args.findIndex((arg) => arg.includes("/"));
  if (typeIndex < 0 || typeIndex > maxLeading) {
    throw invalidArgument(
      call,
      "The resource type must be given as '{namespace}/{type}', followed by the resource name(s).",
    );
  }
  const type = args[typeIndex] as string;
  const names = args.slice(typeIndex + 1);
  if (!namesMatchType(type, names)) {
    throw invalidArgument(
      call,
      `The type '${type}' requires '${type.split("/").length - 1}' resource name argument(s), and '${names.length}' were given.`,
    );
  }
  return { leading: args.slice(0, typeIndex), type, names };
}

/** reference('name') and list*('name', ...) accept a template resource's name, a typed name or an ID. */
function resolveResourceTarget(call: FunctionCall, target: string): string {
  if (target.startsWith("/")) return target;
  const fromTemplate = call.scope.state.templateResourceId(target);
  if (fromTemplate !== undefined) return fromTemplate;
  const context = call.scope.context;
  const typed = scopeToResourceId(target, context.subscriptionId, context.resourceGroup.name);
  if (typed !== undefined) return typed;
  throw new ExpressionError(
    `The template reference '${target}' is not valid: could not find template resource or resource copy with this name. Please see https://aka.ms/arm-function-reference for usage details.`,
  );
}

/** Callback failures become the reason of the resource that called; TemplateErrors pass through. */
function callRuntime<T>(action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof TemplateError || error instanceof ExpressionError) throw error;
    throw new ExpressionError(error instanceof Error ? error.message : String(error));
  }
}

function runtimeOf(call: FunctionCall) {
  const runtime = call.scope.runtime;
  if (runtime === undefined) throw new ExpressionError(expressionReasons.functionNotExpectedHere(call.name));
  return runtime;
}

const RUNTIME_ONLY = ["resources", "outputs"] as const;

/** Any list* function (listSecrets, listAccountSas...) the library does not name. */
export const genericListFunction: EagerFunction = {
  minArgs: 2,
  maxArgs: 3,
  locations: RUNTIME_ONLY,
  invoke: ([target, apiVersion, body], call) => {
    const runtime = runtimeOf(call);
    if (runtime.list === undefined) throw new ExpressionError(expressionReasons.unknownFunction(call.name));
    const list = runtime.list;
    const id = resolveResourceTarget(call, asString(call, target));
    return callRuntime(() => list(call.name, id, asString(call, apiVersion), body));
  },
};

export const resourceFunctions: FunctionLibrary = {
  resourcegroup: {
    minArgs: 0,
    maxArgs: 0,
    // docs (resourceGroup): id, name, type, location, managedBy, tags, properties.provisioningState.
    invoke: (_args, call) => {
      const { subscriptionId, resourceGroup } = call.scope.context;
      const result: Record<string, TemplateValue> = {
        id: resourceGroup.id ?? resourceGroupId(subscriptionId, resourceGroup.name),
        name: resourceGroup.name,
        type: "Microsoft.Resources/resourceGroups",
        location: resourceGroup.location,
        tags: { ...(resourceGroup.tags ?? {}) },
        properties: { provisioningState: "Succeeded", ...(resourceGroup.properties ?? {}) },
      };
      if (resourceGroup.managedBy !== undefined) result.managedBy = resourceGroup.managedBy;
      return result;
    },
  },
  subscription: {
    minArgs: 0,
    maxArgs: 0,
    invoke: (_args, call) => {
      const context = call.scope.context;
      return {
        id: `/subscriptions/${context.subscriptionId}`,
        subscriptionId: context.subscriptionId,
        tenantId: context.tenantId,
        displayName: context.subscriptionDisplayName ?? "Emulated subscription",
      };
    },
  },
  tenant: {
    minArgs: 0,
    maxArgs: 0,
    invoke: (_args, call) => {
      const context = call.scope.context;
      return {
        countryCode: context.tenantCountryCode ?? "US",
        displayName: context.tenantDisplayName ?? "Default Directory",
        id: `/tenants/${context.tenantId}`,
        tenantId: context.tenantId,
      };
    },
  },
  resourceid: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      const { leading, type, names } = splitAtType(call, allStrings(call, args), 2);
      const context = call.scope.context;
      const subscription = leading.length === 2 ? (leading[0] as string) : context.subscriptionId;
      const group =
        leading.length >= 1 ? (leading[leading.length - 1] as string) : context.resourceGroup.name;
      return resourceGroupResourceId(subscription, group, type, names);
    },
  },
  subscriptionresourceid: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      const { leading, type, names } = splitAtType(call, allStrings(call, args), 1);
      return subscriptionResourceId(leading[0] ?? call.scope.context.subscriptionId, type, names);
    },
  },
  tenantresourceid: {
    minArgs: 2,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      const { type, names } = splitAtType(call, allStrings(call, args), 0);
      return tenantResourceId(type, names);
    },
  },
  extensionresourceid: {
    minArgs: 3,
    maxArgs: UNBOUNDED,
    invoke: (args, call) => {
      const [scope = "", ...rest] = allStrings(call, args);
      const { type, names } = splitAtType(call, rest, 0);
      return extensionResourceId(scope, type, names);
    },
  },
  reference: {
    minArgs: 1,
    maxArgs: 3,
    locations: RUNTIME_ONLY,
    invoke: ([target, apiVersion, full], call) => {
      const runtime = runtimeOf(call);
      const id = resolveResourceTarget(call, asString(call, target));
      const version =
        apiVersion === undefined || apiVersion === null ? undefined : asString(call, apiVersion);
      const wantsFull = typeof full === "string" && full.toLowerCase() === "full";
      return callRuntime(() => runtime.reference(id, version, wantsFull));
    },
  },
  listkeys: {
    minArgs: 2,
    maxArgs: 2,
    locations: RUNTIME_ONLY,
    invoke: ([target, apiVersion], call) => {
      const runtime = runtimeOf(call);
      const listKeys = runtime.listKeys;
      if (listKeys === undefined) {
        if (runtime.list === undefined)
          throw new ExpressionError(expressionReasons.unknownFunction(call.name));
        return genericListFunction.invoke([target ?? null, apiVersion ?? null], call);
      }
      const id = resolveResourceTarget(call, asString(call, target));
      return callRuntime(() => listKeys(id, asString(call, apiVersion)));
    },
  },
};
