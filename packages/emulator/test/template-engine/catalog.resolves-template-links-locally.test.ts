// templateLink URIs resolve from shared/templates only: the .NET sample's quickstart link gives the local
// equivalent, which deploys end to end on the engine; any other link fails as ARM fails, with no request.

import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  DEFAULT_CATALOG_DIRECTORY,
  prepareDeployment,
  type RuntimeCallbacks,
  readCatalog,
  resolveTemplateLink,
  type TemplateObject,
  type TemplateValue,
  uniqueString,
} from "../../src/template-engine/index.ts";
import { context, GROUP_ID, templateErrorOf } from "./deployment-fixtures.ts";

// The URI Azure-Samples/windowsvm-msi-arm-dotnet (DeploymentHelper.cs) puts in properties.templateLink.
const DOTNET_SAMPLE_LINK =
  "https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/quickstarts/microsoft.storage/storage-account-create/azuredeploy.json";

/** Keeps what each deployed resource looked like, and answers reference() as a provider would. */
function recordingRuntime(): RuntimeCallbacks & { deployed: Map<string, TemplateObject> } {
  const deployed = new Map<string, TemplateObject>();
  return {
    deployed,
    reference(id, _apiVersion, full) {
      const resource = deployed.get(id.toLowerCase());
      if (resource === undefined) throw new Error(`The Resource '${id}' was not found.`);
      const properties = {
        ...((resource.properties as TemplateObject | undefined) ?? {}),
        principalId: "p",
        clientId: "c",
        tenantId: "t",
        // Read-only properties that providers add and templates commonly read back.
        vaultUri: "https://placeholder.vault.azure.net/",
        primaryEndpoints: { blob: "https://placeholder.blob.core.windows.net/" },
      };
      return full ? { ...resource, properties, identity: { principalId: "p", tenantId: "t" } } : properties;
    },
  };
}

describe("resolveTemplateLink", () => {
  it("maps the .NET sample's quickstart URI to the local storage-account template", () => {
    const resolved = resolveTemplateLink(DOTNET_SAMPLE_LINK);
    expect(resolved.entry.file).toBe("quickstarts/storage-account-create.json");
    expect(resolved.template.contentVersion).toBe("1.0.0.0");
  });

  it("ignores a SAS query and the case of the host", () => {
    const uri = DOTNET_SAMPLE_LINK.replace("raw.githubusercontent.com", "RAW.githubusercontent.com").concat(
      "?sv=2022&sig=abc",
    );
    expect(resolveTemplateLink(uri).entry.file).toBe("quickstarts/storage-account-create.json");
  });

  it("fails an unknown link with ARM's InvalidContentLink error, without touching the network", () => {
    const error = templateErrorOf(() =>
      resolveTemplateLink("https://example.com/templates/azuredeploy.json"),
    );
    expect(error.code).toBe("InvalidContentLink");
    expect(error.message).toMatch(
      /^Unable to download deployment content from 'https:\/\/example\.com\/templates\/azuredeploy\.json'\. The tracking Id is '[0-9a-f-]{36}'\. Please see https:\/\/aka\.ms\/arm-deploy for usage details\.$/,
    );
    expect(error.toErrorBody()).not.toHaveProperty("additionalInfo");
  });

  it("fails a link whose path differs only in case, as GitHub's raw host would", () => {
    expect(
      templateErrorOf(() =>
        resolveTemplateLink(DOTNET_SAMPLE_LINK.replace("storage-account-create", "Storage-Account-Create")),
      ).code,
    ).toBe("InvalidContentLink");
  });

  it("lists only catalog files that exist", () => {
    const files = new Set(
      readdirSync(`${DEFAULT_CATALOG_DIRECTORY}/quickstarts`).map((file) => `quickstarts/${file}`),
    );
    for (const entry of readCatalog()) {
      if (entry.file.startsWith("quickstarts/")) expect(files.has(entry.file)).toBe(true);
      expect(() => resolveTemplateLink(entry.uris[0] as string)).not.toThrow();
    }
  });
});

describe("the quickstart storage template, deployed as the .NET sample deploys it", () => {
  it("plans one storage account named from the resource group, with the sample's SKU", () => {
    const { template } = resolveTemplateLink(DOTNET_SAMPLE_LINK);
    const prepared = prepareDeployment({
      template,
      parameters: { storageAccountType: { value: "Standard_GRS" } },
      context: { ...context, templateLink: { uri: DOTNET_SAMPLE_LINK } },
    });
    const name = `store${uniqueString(GROUP_ID)}`;
    const id = `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/${name}`;
    expect(prepared.parameters).toEqual({
      storageAccountType: { type: "String", value: "Standard_GRS" },
      location: { type: "String", value: "southcentralus" },
      storageAccountName: { type: "String", value: name },
    });
    expect(prepared.resources).toEqual([
      {
        id,
        type: "Microsoft.Storage/storageAccounts",
        name,
        apiVersion: "2023-05-01",
        dependsOn: [],
        templatePath: "resources[0]",
      },
    ]);

    const runtime = recordingRuntime();
    const evaluated = prepared.evaluateResource(prepared.resources[0]!, runtime);
    expect(evaluated.body).toEqual({
      location: "southcentralus",
      sku: { name: "Standard_GRS" },
      kind: "StorageV2",
      properties: {},
    });
    runtime.deployed.set(id.toLowerCase(), evaluated.body);
    expect(prepared.evaluateOutputs(runtime)).toEqual({
      storageAccountName: { type: "String", value: name },
      storageAccountId: { type: "String", value: id },
    });
  });

  it("rejects a SKU the quickstart does not allow", () => {
    const { template } = resolveTemplateLink(DOTNET_SAMPLE_LINK);
    expect(
      templateErrorOf(() =>
        prepareDeployment({
          template,
          parameters: { storageAccountType: { value: "Standard_XYZ" } },
          context,
        }),
      ).message,
    ).toContain("The provided value for the template parameter 'storageAccountType' is not valid.");
  });
});

/** Placeholder values for parameters a template requires but its parameters file leaves out (secrets). */
function placeholderFor(definition: TemplateObject): TemplateValue {
  switch (String(definition.type).toLowerCase()) {
    case "int":
      return typeof definition.minValue === "number" ? definition.minValue : 1;
    case "bool":
      return true;
    case "object":
    case "secureobject":
      return {};
    case "array":
      return [];
    default:
      return "Placeholder-Value-123";
  }
}

describe("every template in shared/templates", () => {
  const directory = DEFAULT_CATALOG_DIRECTORY;
  const templates = [
    ...readdirSync(directory).filter(
      (file) => file.endsWith(".json") && file !== "catalog.json" && !file.endsWith(".parameters.json"),
    ),
    ...readdirSync(`${directory}/quickstarts`).map((file) => `quickstarts/${file}`),
  ];

  it.each(templates)("%s prepares, evaluates every resource in order, and evaluates its outputs", (file) => {
    const template = JSON.parse(readFileSync(`${directory}/${file}`, "utf8")) as TemplateObject;
    let parameters: Record<string, TemplateValue> = {};
    try {
      const document = JSON.parse(
        readFileSync(`${directory}/${file.replace(/\.json$/, ".parameters.json")}`, "utf8"),
      ) as TemplateObject;
      parameters = { ...(document.parameters as TemplateObject) };
    } catch {
      // No parameters file: defaults and placeholders only.
    }
    for (const [name, definition] of Object.entries(
      (template.parameters as TemplateObject | undefined) ?? {},
    )) {
      const declared = definition as TemplateObject;
      if (parameters[name] === undefined && declared.defaultValue === undefined)
        parameters[name] = { value: placeholderFor(declared) };
    }

    const prepared = prepareDeployment({ template, parameters, context });
    const runtime = recordingRuntime();
    expect(prepared.resources.length).toBeGreaterThan(0);
    for (const resource of prepared.resources) {
      for (const dependency of resource.dependsOn)
        expect(runtime.deployed.has(dependency.toLowerCase())).toBe(true);
      const evaluated = prepared.evaluateResource(resource, runtime);
      runtime.deployed.set(resource.id.toLowerCase(), evaluated.body);
    }
    expect(() => prepared.evaluateOutputs(runtime)).not.toThrow();
  });
});
