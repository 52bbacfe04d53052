// The template to deploy (inline from a file, or linked by URI, as the original's two versions do) and its
// parameters, checked before anything is sent: the files must exist and hold a template and a parameters file.
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { DeploymentParameter } from "@azure/arm-resourcesdeployments";
import { UsageError } from "@msi-samples/identity";

const sampleTemplateFile = fileURLToPath(new URL("../template/azuredeploy.json", import.meta.url));
const sampleParametersFile = fileURLToPath(
  new URL("../template/azuredeploy.parameters.json", import.meta.url),
);

/**
 * The template (inline from a file, or linked by URI, as the original's two versions do) and the parameters,
 * checked before anything is sent: the files must exist and hold a template and a parameters file.
 */
export async function readTemplateAndParameters(settings: {
  templateFile: string | undefined;
  templateUri: string | undefined;
  parametersFile: string | undefined;
}): Promise<{
  template?: Record<string, unknown>;
  templateLink?: { uri: string };
  parameters: Record<string, DeploymentParameter>;
}> {
  const { templateFile, templateUri } = settings;
  if (templateFile !== undefined && templateUri !== undefined) {
    throw new UsageError("Pass either --template-file or --template-uri, not both.", {
      setting: "--template-uri",
    });
  }
  if (templateUri !== undefined && !/^https?:$/.test(URL.parse(templateUri)?.protocol ?? "")) {
    throw new UsageError(`--template-uri '${templateUri}' is not an http(s) URL that Azure can download.`, {
      setting: "--template-uri",
    });
  }
  const usesSampleTemplate = templateFile === undefined && templateUri === undefined;
  const parametersFile = settings.parametersFile ?? (usesSampleTemplate ? sampleParametersFile : undefined);

  const template =
    templateUri === undefined
      ? await readJsonObject(templateFile ?? sampleTemplateFile, "--template-file")
      : undefined;
  if (template !== undefined && !("resources" in template)) {
    throw new UsageError(
      `The --template-file '${templateFile}' has no "resources": it is not an ARM template.`,
      {
        setting: "--template-file",
      },
    );
  }
  const parameters =
    parametersFile === undefined
      ? {}
      : (await readJsonObject(parametersFile, "--parameters-file")).parameters;
  const isParameter = (entry: unknown) =>
    typeof entry === "object" && entry !== null && ("value" in entry || "reference" in entry);
  if (
    typeof parameters !== "object" ||
    parameters === null ||
    Array.isArray(parameters) ||
    !Object.values(parameters).every(isParameter)
  ) {
    throw new UsageError(
      `The --parameters-file '${parametersFile}' is not an ARM parameters file: it needs a "parameters" object ` +
        'whose entries each have a "value" (or a Key Vault "reference").',
      { setting: "--parameters-file" },
    );
  }
  return {
    ...(template && { template }),
    ...(templateUri && { templateLink: { uri: templateUri } }),
    parameters: parameters as Record<string, DeploymentParameter>,
  };
}

/** Reads a file named by a setting as a JSON object; a missing or malformed file is a usage error. */
async function readJsonObject(path: string, setting: string): Promise<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const reason =
      error instanceof SyntaxError
        ? `is not valid JSON (${error.message})`
        : `cannot be read (${error instanceof Error ? error.message : error})`;
    throw new UsageError(`The ${setting} '${path}' ${reason}.`, { setting });
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UsageError(`The ${setting} '${path}' must hold a JSON object.`, { setting });
  }
  return value as Record<string, unknown>;
}
