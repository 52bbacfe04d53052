// The ARM template engine: validate a template with its parameters, plan and evaluate its deployment.
// Pure and self-contained: no HTTP, no state; the deployments REST API (arm/deployments/) drives it through these
// exports, and nothing else of the engine is reached from outside this folder.

export type {
  DeploymentContext,
  PreparedDeployment,
  ResourcePlan,
  RuntimeCallbacks,
} from "./deployment-types.ts";
export { ARM_GUID_NAMESPACE, deterministicGuid } from "./deterministic-guid.ts";
export { invalidContentLink, TemplateError } from "./errors.ts";
export { supportedFunctionNames } from "./functions/function-library.ts";
export { prepareDeployment } from "./prepare-deployment.ts";
export { DEFAULT_CATALOG_DIRECTORY, readCatalog, resolveTemplateLink } from "./template-catalog.ts";
export type { TemplateObject, TemplateValue } from "./template-values.ts";
export { uniqueString } from "./unique-string.ts";
