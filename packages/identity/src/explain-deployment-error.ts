// ARM template deployments that failed where the SDK kept none of ARM's inner errors, which say what is wrong: what
// is known, and the `az` command that shows the rest.
//
// @azure/arm-resourcesdeployments 2 keeps no `details` when the deployment's first request fails validation (a
// RestError InvalidTemplateDeployment, "… See inner errors for details."), and when the deployment fails later
// @azure/core-lro throws a plain Error "The long-running operation has failed. DeploymentFailed. At least one resource
// deployment operation failed. …". Validation errors are not in the deployment history, so `az deployment group
// validate` shows them; deployment errors are in the deployment's operations
// (learn.microsoft.com/azure/azure-resource-manager/troubleshooting/find-error-code).
import { azureErrorOf, errorFields, oneLine } from "./error-shapes.ts";

const lroFailure = /^The long-running operation has failed\. DeploymentFailed\. /;

/** An explanation when `error` is a deployment failure without its inner errors, else undefined. */
export function explainDeploymentError(error: unknown): string | undefined {
  const fields = errorFields(error);
  if (!fields || (azureErrorOf(error)?.details.length ?? 0) > 0) return undefined;
  const deployment = deploymentOfUrl(fields.requestUrl);
  const group = deployment?.resourceGroup ?? "<resource group>";
  if (fields.code === "InvalidTemplateDeployment") {
    const status = fields.statusCode === undefined ? "" : `, HTTP ${fields.statusCode}`;
    return [
      `${oneLine(fields.message, 600)} (InvalidTemplateDeployment${status})`,
      "The SDK did not keep ARM's inner errors, which say what is invalid. See them with: " +
        `az deployment group validate --resource-group ${group} --template-file <template file> --parameters <parameters file>`,
    ].join("\n");
  }
  if (fields.code === "DeploymentFailed" || lroFailure.test(fields.message)) {
    const name = deployment?.name ?? "<deployment name>";
    return [
      `The deployment failed: ${oneLine(fields.message.replace(lroFailure, ""), 600)} (DeploymentFailed)`,
      "See which resources failed, and why: " +
        `az deployment operation group list --resource-group ${group} --name ${name} ` +
        `--query "[?properties.provisioningState=='Failed'].properties.statusMessage"`,
    ].join("\n");
  }
  return undefined;
}

/** The resource group and name in `…/resourcegroups/{group}/providers/Microsoft.Resources/deployments/{name}`. */
function deploymentOfUrl(url: string | undefined): { resourceGroup: string; name: string } | undefined {
  if (!url) return undefined;
  const match = /\/resourcegroups\/([^/]+)\/providers\/Microsoft\.Resources\/deployments\/([^/?]+)/i.exec(
    url,
  );
  return match?.[1] && match[2]
    ? { resourceGroup: decodeURIComponent(match[1]), name: decodeURIComponent(match[2]) }
    : undefined;
}
