// The ARM template engine: validate a template with its parameters, plan and evaluate its deployment.
// Pure and self-contained: no HTTP, no state; the deployments REST API drives it through these exports.

export type {
  DeploymentContext,
  DeploymentOutput,
  DeploymentParameter,
  EvaluatedResource,
  KeyVaultSecretResolver,
  PreparedDeployment,
  ResourcePlan,
  RuntimeCallbacks,
} from "./deployment-types.ts";
export { ARM_GUID_NAMESPACE, deterministicGuid } from "./deterministic-guid.ts";
export {
  type ArmErrorAdditionalInfo,
  type ArmErrorBody,
  invalidContentLink,
  TemplateError,
} from "./errors.ts";
export { supportedFunctionNames } from "./functions/function-library.ts";
export type { ParametersFile } from "./parameters.ts";
export { type PrepareDeploymentInput, prepareDeployment } from "./prepare-deployment.ts";
export {
  type CatalogEntry,
  DEFAULT_CATALOG_DIRECTORY,
  type ResolvedTemplateLink,
  readCatalog,
  resolveTemplateLink,
} from "./template-catalog.ts";
export type { TemplateObject, TemplateValue } from "./template-values.ts";
export { uniqueString } from "./unique-string.ts";
