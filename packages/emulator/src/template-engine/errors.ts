// ARM's template errors: the one place their codes and wording are written.
//
// Wording is copied from real ARM responses quoted in public issues (sources beside each message).
// ARM also says "at line 'L' and column 'C'" after the element name; this engine works on parsed JSON
// and has no positions, so it leaves that phrase out and reports lineNumber/linePosition 0 (which ARM
// itself does for errors without a position). The JSON path is always given in additionalInfo.

export interface ArmErrorAdditionalInfo {
  type: string;
  info: { lineNumber: number; linePosition: number; path: string };
}

export interface ArmErrorBody {
  code: string;
  message: string;
  target?: string;
  details?: ArmErrorBody[];
  additionalInfo?: ArmErrorAdditionalInfo[];
}

/** An ARM error raised by the template engine; `toErrorBody()` renders ARM's `error` object. */
export class TemplateError extends Error {
  override readonly name = "TemplateError";
  readonly code: string;
  /** Where in the template the problem is, e.g. `resources[0].properties.accountType` ('' when nowhere in particular). */
  readonly templatePath: string;
  readonly target: string | undefined;
  readonly details: ArmErrorBody[] | undefined;

  constructor(options: {
    code: string;
    message: string;
    templatePath?: string;
    target?: string;
    details?: ArmErrorBody[];
  }) {
    super(options.message);
    this.code = options.code;
    this.templatePath = options.templatePath ?? "";
    this.target = options.target;
    this.details = options.details;
  }

  /**
   * ARM's error body. `pathPrefix` places the path inside the request, e.g. "properties.template"
   * for a template sent inline (ARM reports `properties.template.parameters.x`).
   */
  toErrorBody(pathPrefix = ""): ArmErrorBody {
    const path = [pathPrefix, this.templatePath].filter((part) => part !== "").join(".");
    const body: ArmErrorBody = { code: this.code, message: this.message };
    if (this.target !== undefined) body.target = this.target;
    if (this.details !== undefined) body.details = this.details;
    if (this.code === "InvalidTemplate") {
      body.additionalInfo = [{ type: "TemplateViolation", info: { lineNumber: 0, linePosition: 0, path } }];
    }
    return body;
  }
}

/** A failure inside one expression; the caller wraps it with the element it belongs to. */
export class ExpressionError extends Error {
  override readonly name: string = "ExpressionError";
}

/** An expression that cannot be parsed; ARM reports these for the whole template, before anything else. */
export class ExpressionSyntaxError extends ExpressionError {
  override readonly name = "ExpressionSyntaxError";
}

const FUNCTIONS_HELP = "Please see https://aka.ms/arm-functions for usage details.";

function functionHelp(functionName: string): string {
  return `Please see https://aka.ms/arm-function-${functionName.toLowerCase()} for usage details.`;
}

function validationFailed(inner: string, templatePath: string): TemplateError {
  return new TemplateError({
    code: "InvalidTemplate",
    message: `Deployment template validation failed: '${inner}'.`,
    templatePath,
  });
}

// --- Template structure -------------------------------------------------------------------------

/** e.g. "Deployment template parse failed: 'Required property 'contentVersion' not found in JSON. Path '', line 2431, position 1.'." (Azure/Azure-Landing-Zones#1179) */
export function templateParseFailed(reason: string, templatePath = ""): TemplateError {
  return new TemplateError({
    code: "InvalidTemplate",
    message: `Deployment template parse failed: '${reason}'.`,
    templatePath,
  });
}

export function requiredPropertyMissing(property: string, templatePath = ""): TemplateError {
  return templateParseFailed(
    `Required property '${property}' not found in JSON. Path '${templatePath}'.`,
    templatePath,
  );
}

/** "The template resource '' at line '43' and column '6' is not valid. The name property cannot be null or empty" (azure-quickstart-templates#760) */
export function resourceNameMissing(templatePath: string): TemplateError {
  return validationFailed(
    "The template resource '' is not valid. The name property cannot be null or empty",
    templatePath,
  );
}

/** docs: error-invalid-template, "incorrect segment lengths". */
export function incorrectSegmentLengths(name: string, type: string, templatePath: string): TemplateError {
  return validationFailed(
    `The template resource '${name}' for type '${type}' has incorrect segment lengths. A nested resource type must have identical number of segments as its resource name. A root resource type must have segment length one greater than its resource name. Please see https://aka.ms/arm-template/#resources for usage details.`,
    templatePath,
  );
}

// --- Elements that hold expressions --------------------------------------------------------------

/** "The template resource 'x' at line '1' and column '14710' is not valid: <reason>. Please see https://aka.ms/arm-functions for usage details." (azure-search-openai-demo#2321) */
export function invalidResource(resourceName: string, reason: string, templatePath: string): TemplateError {
  return validationFailed(
    `The template resource '${resourceName}' is not valid: ${reason}. ${FUNCTIONS_HELP}`,
    templatePath,
  );
}

/** "The template variable 'cloudPath' is not valid: <reason>. Please see ... for usage details." (f5devcentral/f5-azure-saca#104) */
export function invalidVariable(variableName: string, reason: string, templatePath: string): TemplateError {
  return validationFailed(
    `The template variable '${variableName}' is not valid: ${reason}. ${FUNCTIONS_HELP}`,
    templatePath,
  );
}

export function invalidOutput(outputName: string, reason: string, templatePath: string): TemplateError {
  return validationFailed(
    `The template output '${outputName}' is not valid: ${reason}. ${FUNCTIONS_HELP}`,
    templatePath,
  );
}

/**
 * ARM names a parameter whose default value fails as a "template resource"
 * ("The template resource 'p1' at line '5' and column '15' is not valid: ...", microsoft/vscode-azurearmtools#531).
 */
export function invalidParameterDefault(
  parameterName: string,
  reason: string,
  templatePath: string,
): TemplateError {
  return invalidResource(parameterName, reason, templatePath);
}

/**
 * "Deployment template language expression evaluation failed: 'Unable to parse language expression ...'. Please see
 * https://aka.ms/arm-template-expressions for usage details." (mspnp/microservices-reference-implementation#217)
 */
export function expressionEvaluationFailed(reason: string, templatePath: string): TemplateError {
  return new TemplateError({
    code: "InvalidTemplate",
    message: `Deployment template language expression evaluation failed: '${reason}'. Please see https://aka.ms/arm-template-expressions for usage details.`,
    templatePath,
  });
}

/**
 * An expression of a resource that fails while the deployment runs (reference() of a missing resource...):
 * "Unable to process template language expressions for resource '<id>' at line '1' and column '2547'. '<reason>'"
 * (MicrosoftDocs/azure-docs#115708).
 */
export function resourceExpressionsFailed(
  resourceId: string,
  reason: string,
  templatePath: string,
): TemplateError {
  return new TemplateError({
    code: "InvalidTemplate",
    message: `Unable to process template language expressions for resource '${resourceId}'. '${reason}'`,
    templatePath,
  });
}

/**
 * Outputs that fail once the resources are deployed: code DeploymentOutputEvaluationFailed, one detail per output
 * ("The template output 'policy' is not valid: <reason>.", Azure/azure-policy#1442).
 */
export function outputsEvaluationFailed(
  failures: { name: string; reason: string; templatePath: string }[],
): TemplateError {
  const names = failures.map((failure) => failure.name).join(", ");
  return new TemplateError({
    code: "DeploymentOutputEvaluationFailed",
    message: `Unable to evaluate template outputs: '${names}'. Please see error details and deployment operations. Please see https://aka.ms/arm-common-errors for usage details.`,
    templatePath: failures[0]?.templatePath ?? "outputs",
    details: failures.map((failure) => ({
      code: "DeploymentOutputEvaluationFailed",
      target: failure.name,
      message: `The template output '${failure.name}' is not valid: ${failure.reason}.`,
    })),
  });
}

// --- Parameters ----------------------------------------------------------------------------------

/** "The value for the template parameter 'repositoryUrl' at line '1' and column '702' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details." (microsoft/fabric-toolbox#398) */
export function parameterNotProvided(parameterName: string): TemplateError {
  return validationFailed(
    `The value for the template parameter '${parameterName}' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.`,
    `parameters.${parameterName}`,
  );
}

/** "The value of deployment parameter 'webSiteName' is null. Please specify the value or use the parameter reference." (microsoft/VisualStudio2017Launch_KeynoteDemos#7) */
export function parameterValueNull(parameterName: string): TemplateError {
  return validationFailed(
    `The value of deployment parameter '${parameterName}' is null. Please specify the value or use the parameter reference. Please see https://aka.ms/resource-manager-parameter-files for usage details.`,
    `parameters.${parameterName}`,
  );
}

/** radius-project/radius#6844 (current link), azure-quickstart-templates#2901. */
export function unknownParametersSupplied(unknown: string[], supported: string[]): TemplateError {
  return validationFailed(
    `The template parameters '${unknown.join(", ")}' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are '${supported.join(", ")}'. Please see https://aka.ms/arm-pass-parameter-values for usage details.`,
    "",
  );
}

/** "Template parameter JToken type is not valid. Expected 'Boolean'. Actual 'String'. ..." (OutSystems/AzureARMTemplates#17) */
export function parameterTypeMismatch(
  parameterName: string,
  expected: string,
  actual: string,
): TemplateError {
  return validationFailed(
    `Template parameter JToken type is not valid. Expected '${expected}'. Actual '${actual}'. Please see https://aka.ms/resource-manager-parameter-files for usage details.`,
    `parameters.${parameterName}`,
  );
}

/** "The provided value for the template parameter 'osType' at line '41' and column '16' is not valid. The parameter value is not part of the allowed value(s)." (azure-quickstart-templates#760) */
export function parameterNotAllowed(parameterName: string): TemplateError {
  return validationFailed(
    `The provided value for the template parameter '${parameterName}' is not valid. The parameter value is not part of the allowed value(s).`,
    `parameters.${parameterName}`,
  );
}

/**
 * "... is not valid. Length of the value should be less than '9'." / "... greater than '6'." (azure-quickstart-templates#1172, #1491).
 * ARM quotes the limit itself (maxLength / minLength).
 */
export function parameterLengthOutOfRange(
  parameterName: string,
  bound: "less" | "greater",
  limit: number,
): TemplateError {
  return validationFailed(
    `The provided value for the template parameter '${parameterName}' is not valid. Length of the value should be ${bound} than '${limit}'. Please see https://aka.ms/arm-template/#parameters for usage details.`,
    `parameters.${parameterName}`,
  );
}

/** No public ARM text was found for minValue/maxValue; this follows the length message above. */
export function parameterValueOutOfRange(
  parameterName: string,
  bound: "less" | "greater",
  limit: number,
): TemplateError {
  return validationFailed(
    `The provided value for the template parameter '${parameterName}' is not valid. Value should be ${bound} than '${limit}'. Please see https://aka.ms/arm-template/#parameters for usage details.`,
    `parameters.${parameterName}`,
  );
}

export function unsupportedParameterType(parameterName: string, type: string): TemplateError {
  return validationFailed(
    `The template parameter '${parameterName}' has type '${type}', which is not supported. Supported types are 'string, securestring, int, bool, object, secureObject, array'. Please see https://aka.ms/arm-template/#parameters for usage details.`,
    `parameters.${parameterName}.type`,
  );
}

// --- Dependencies --------------------------------------------------------------------------------

/** "The resource 'Microsoft.Compute/virtualMachines/windowsvm' is not defined in the template. Please see https://aka.ms/arm-template for usage details." (microsoft/vscode-azurearmtools#493) */
export function dependencyNotDefined(reference: string, templatePath: string): TemplateError {
  return validationFailed(
    `The resource '${reference}' is not defined in the template. Please see https://aka.ms/arm-template for usage details.`,
    templatePath,
  );
}

/** "The template reference 'appServicePlan' is not valid: could not find template resource or resource copy with this name. ..." (MicrosoftDocs/azure-docs#112757) */
export function templateReferenceNotFound(name: string, templatePath: string): TemplateError {
  return validationFailed(
    `The template reference '${name}' is not valid: could not find template resource or resource copy with this name. Please see https://aka.ms/arm-function-reference for usage details.`,
    templatePath,
  );
}

/**
 * "Circular dependency detected on resource: '/subscriptions/.../sites/x'. Please see https://aka.ms/arm-syntax-resources for usage details." (akshata29/entaoai#15)
 * ARM names one resource only; the whole cycle is kept on the error's `details` for whoever reads it.
 */
export function circularDependency(cycle: string[], templatePath: string): TemplateError {
  const error = new TemplateError({
    code: "InvalidTemplate",
    message: `Deployment template validation failed: 'Circular dependency detected on resource: '${cycle[0]}'. Please see https://aka.ms/arm-syntax-resources for usage details.'.`,
    templatePath,
    details: [{ code: "CircularDependency", message: `Dependency cycle: ${cycle.join(" -> ")}` }],
  });
  return error;
}

// --- Template links ------------------------------------------------------------------------------

/**
 * ARM's real code for a templateLink it cannot fetch is InvalidContentLink:
 * "Unable to download deployment content from '<uri>'. The tracking Id is '<id>'. Please see https://aka.ms/arm-deploy for usage details." (azure-quickstart-templates#7171)
 */
export function invalidContentLink(uri: string, trackingId: string): TemplateError {
  return new TemplateError({
    code: "InvalidContentLink",
    message: `Unable to download deployment content from '${uri}'. The tracking Id is '${trackingId}'. Please see https://aka.ms/arm-deploy for usage details.`,
  });
}

// --- Reasons inside expressions (wrapped by the element errors above) -----------------------------

export const expressionReasons = {
  /** "The template function 'environment' is not valid. Please see ..." (microsoft/vscode-azurearmtools#531) */
  unknownFunction: (name: string) => `The template function '${name}' is not valid. ${FUNCTIONS_HELP}`,
  /** "The template function 'variables' is not expected at this location. ..." (Azure/template-analyzer#184) */
  functionNotExpectedHere: (name: string) =>
    `The template function '${name}' is not expected at this location. ${FUNCTIONS_HELP}`,
  /** "Unable to parse language expression '...': expected token 'RightParenthesis' and actual 'EndOfData'." */
  unexpectedToken: (expression: string, expected: string, actual: string) =>
    `Unable to parse language expression '${expression}': expected token '${expected}' and actual '${actual}'.`,
  unexpectedCharacter: (expression: string, character: string, position: number) =>
    `The language expression '${expression}' is not valid: the string character '${character}' at position '${position}' is not expected.`,
  argumentCount: (name: string, expected: string, actual: number) =>
    `Unable to evaluate template language function '${name}': function requires ${expected} argument(s) while ${actual} were provided. ${functionHelp(name)}`,
  argumentType: (name: string, expected: string, actual: string) =>
    `The template language function '${name}' expects its parameter to be of type '${expected}'. The provided value is of type '${actual}'. ${functionHelp(name)}`,
  invalidArgument: (name: string, detail: string) =>
    `Unable to evaluate the template language function '${name}'. ${detail} ${functionHelp(name)}`,
  /** "Template language expression property 'Standard_A1' doesn't exist, available properties are '...'." (elastic/azure-marketplace#3) */
  propertyMissing: (property: string, available: string[]) =>
    `The language expression property '${property}' doesn't exist, available properties are '${available.join(", ")}'.`,
  /** "The language expression property array index '2' is out of bounds." (Azure-Samples/azure-search-openai-demo#2321) */
  indexOutOfBounds: (index: number) =>
    `The language expression property array index '${index}' is out of bounds.`,
  /** "The language expression property '0' can't be evaluated." (Azure/avdaccelerator#358, MicrosoftDocs/azure-docs#115708) */
  propertyNotEvaluable: (property: string) =>
    `The language expression property '${property}' can't be evaluated.`,
  propertyNameNotString: (property: string) =>
    `The language expression property '${property}' can't be evaluated, property name must be a string.`,
  /** "The template variable 'webAppName' is not found. Please see https://aka.ms/arm-template/#variables for usage details." (microsoft/MCW-Continuous-delivery-in-Azure-DevOps#53) */
  variableNotFound: (name: string) =>
    `The template variable '${name}' is not found. Please see https://aka.ms/arm-template/#variables for usage details.`,
  /** "The template parameter 'name' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details." (Azure/azure-policy#1442) */
  parameterNotFound: (name: string) =>
    `The template parameter '${name}' is not found. Please see https://aka.ms/arm-syntax-parameters for usage details.`,
  variableCycle: (names: string[]) =>
    `The template variable '${names[0]}' has a circular reference: ${names.join(" -> ")}.`,
  /** "Unable to evaluate template language function 'resourceId': all function arguments must be string literals." (azure-quickstart-templates#2124) */
  resourceIdArgumentsNotStrings: (name: string) =>
    `Unable to evaluate template language function '${name}': all function arguments must be string literals. ${functionHelp(name)}`,
  copyIndexOutsideLoop: () =>
    `The template function 'copyIndex' is not expected at this location. The function can only be used in a resource with copy specified. ${FUNCTIONS_HELP}`,
  copyLoopNotFound: (name: string) => `The template copy name '${name}' is not found. ${FUNCTIONS_HELP}`,
  /** "Copying nested resources is not supported." (ARM's wording for copy on a nested resource.) */
  nestedCopy: () =>
    "Copying nested resources is not supported. Please see https://aka.ms/arm-copy/#looping-on-a-nested-resource for usage details.",
  conditionNotBoolean: (type: string) =>
    `The template resource condition must evaluate to a boolean; it evaluated to a value of type '${type}'.`,
  /** "The template output 'result' is not valid: Template output JToken type is not valid. ..." (Azure/azure-rest-api-specs#14055) */
  outputTypeMismatch: (expected: string, actual: string) =>
    `Template output JToken type is not valid. Expected '${expected}'. Actual '${actual}'.`,
};
