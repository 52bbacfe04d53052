// Parameters get defaults, and wrong, missing or unknown values fail with ARM's InvalidTemplate messages.

import { describe, expect, it } from "vitest";
import { prepareDeployment } from "../../src/template-engine/index.ts";
import { context, prepare, template, templateErrorOf } from "./deployment-fixtures.ts";

const declarations = {
  accountType: {
    type: "string",
    defaultValue: "Standard_LRS",
    allowedValues: ["Standard_LRS", "Standard_GRS"],
  },
  prefix: { type: "string", minLength: 3, maxLength: 5, defaultValue: "abc" },
  count: { type: "int", minValue: 1, maxValue: 3, defaultValue: 2 },
  enabled: { type: "bool", defaultValue: true },
  settings: { type: "object", defaultValue: { a: 1 } },
  secret: { type: "securestring", defaultValue: "" },
  secretObject: { type: "secureObject", defaultValue: {} },
  names: { type: "array", defaultValue: ["x"] },
};

describe("parameter values", () => {
  it("uses defaults, including expressions that call functions and other parameters", () => {
    const prepared = prepare(
      template({
        parameters: {
          location: { type: "string", defaultValue: "[resourceGroup().location]" },
          name: {
            type: "string",
            defaultValue: "[concat(parameters('prefix'), '-', parameters('location'))]",
          },
          prefix: { type: "string", defaultValue: "app" },
        },
      }),
    );
    expect(prepared.parameterValues).toEqual({
      location: "southcentralus",
      name: "app-southcentralus",
      prefix: "app",
    });
  });

  it("takes supplied values over defaults, matching names case-insensitively", () => {
    const prepared = prepare(template({ parameters: declarations }), {
      ACCOUNTTYPE: { value: "Standard_GRS" },
      count: { value: 3 },
    });
    expect(prepared.parameterValues.accountType).toBe("Standard_GRS");
    expect(prepared.parameterValues.count).toBe(3);
  });

  it("accepts a whole deploymentParameters.json document as well as the request's parameters object", () => {
    const document = {
      $schema: "https://schema.management.azure.com/schemas/2019-04-01/deploymentParameters.json#",
      contentVersion: "1.0.0.0",
      parameters: { accountType: { value: "Standard_GRS" } },
    };
    expect(prepare(template({ parameters: declarations }), document).parameterValues.accountType).toBe(
      "Standard_GRS",
    );
  });

  it("reports parameters as Azure returns them: declared type, secure values left out", () => {
    const prepared = prepare(template({ parameters: declarations }), { secret: { value: "p@ss" } });
    expect(prepared.parameters.accountType).toEqual({ type: "String", value: "Standard_LRS" });
    expect(prepared.parameters.count).toEqual({ type: "Int", value: 2 });
    expect(prepared.parameters.enabled).toEqual({ type: "Bool", value: true });
    expect(prepared.parameters.names).toEqual({ type: "Array", value: ["x"] });
    expect(prepared.parameters.secret).toEqual({ type: "SecureString" });
    expect(prepared.parameters.secretObject).toEqual({ type: "SecureObject" });
    expect(prepared.parameterValues.secret).toBe("p@ss");
  });

  it("resolves Key Vault references through the given resolver", () => {
    const prepared = prepareDeployment({
      template: template({ parameters: { password: { type: "securestring" } } }),
      parameters: {
        password: {
          reference: {
            keyVault: { id: "/subscriptions/s/resourceGroups/g/providers/Microsoft.KeyVault/vaults/kv" },
            secretName: "pw",
          },
        },
      },
      context,
      keyVaultSecret: (vaultId, secretName) => `${vaultId.split("/").pop()}:${secretName}`,
    });
    expect(prepared.parameterValues.password).toBe("kv:pw");
  });
});

describe("parameter errors", () => {
  it("a value outside allowedValues fails with ARM's message and the parameter's path", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: declarations }), { accountType: { value: "Premium_LRS" } }),
    );
    expect(error.code).toBe("InvalidTemplate");
    expect(error.message).toBe(
      "Deployment template validation failed: 'The provided value for the template parameter 'accountType' is not valid. The parameter value is not part of the allowed value(s).'.",
    );
    expect(error.toErrorBody("properties.template").additionalInfo).toEqual([
      {
        type: "TemplateViolation",
        info: { lineNumber: 0, linePosition: 0, path: "properties.template.parameters.accountType" },
      },
    ]);
  });

  it("checks every element of an array parameter against allowedValues", () => {
    const parameters = { zones: { type: "array", allowedValues: ["1", "2", "3"] } };
    expect(prepare(template({ parameters }), { zones: { value: ["1", "3"] } }).parameterValues.zones).toEqual(
      ["1", "3"],
    );
    expect(
      templateErrorOf(() => prepare(template({ parameters }), { zones: { value: ["4"] } })).message,
    ).toContain("not part of the allowed value(s)");
  });

  it.each([
    ["ab", "greater", 3],
    ["abcdef", "less", 5],
  ])(
    "a string of the wrong length (%s) fails with 'Length of the value should be %s than'",
    (value, bound, limit) => {
      const error = templateErrorOf(() =>
        prepare(template({ parameters: declarations }), { prefix: { value } }),
      );
      expect(error.message).toContain(
        `The provided value for the template parameter 'prefix' is not valid. Length of the value should be ${bound} than '${limit}'.`,
      );
    },
  );

  it.each([
    [0, "greater", 1],
    [4, "less", 3],
  ])("an int outside minValue/maxValue (%i) fails naming the limit", (value, bound, limit) => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: declarations }), { count: { value } }),
    );
    expect(error.message).toContain(
      `The provided value for the template parameter 'count' is not valid. Value should be ${bound} than '${limit}'.`,
    );
  });

  it("a missing value without default fails with 'is not provided'", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: { adminPassword: { type: "securestring" } } })),
    );
    expect(error.message).toBe(
      "Deployment template validation failed: 'The value for the template parameter 'adminPassword' is not provided. Please see https://aka.ms/arm-create-parameter-file for usage details.'.",
    );
    expect(error.templatePath).toBe("parameters.adminPassword");
  });

  it("a null value fails with 'is null'", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: declarations }), { prefix: { value: null } }),
    );
    expect(error.message).toContain("The value of deployment parameter 'prefix' is null.");
  });

  it("a value of the wrong JSON type fails with ARM's JToken message", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: declarations }), { enabled: { value: "true" } }),
    );
    expect(error.message).toContain(
      "Template parameter JToken type is not valid. Expected 'Boolean'. Actual 'String'.",
    );
    expect(error.templatePath).toBe("parameters.enabled");
  });

  it("a default value of the wrong type fails too", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: { n: { type: "int", defaultValue: "1" } } })),
    );
    expect(error.message).toContain("Expected 'Integer'. Actual 'String'.");
  });

  it("values for undeclared parameters fail, listing both the unknown and the supported ones", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: { a: { type: "string" }, b: { type: "string" } } }), {
        a: { value: "x" },
        b: { value: "y" },
        extra1: { value: 1 },
        extra2: { value: 2 },
      }),
    );
    expect(error.message).toBe(
      "Deployment template validation failed: 'The template parameters 'extra1, extra2' in the parameters file are not valid; they are not present in the original template and can therefore not be provided at deployment time. The only supported parameters for this template are 'a, b'. Please see https://aka.ms/arm-pass-parameter-values for usage details.'.",
    );
  });

  it("an unsupported parameter type is rejected", () => {
    expect(
      templateErrorOf(() => prepare(template({ parameters: { p: { type: "double" } } }))).message,
    ).toContain("has type 'double'");
  });

  it("a default value that uses variables() fails: variables are not available to parameters", () => {
    const error = templateErrorOf(() =>
      prepare(
        template({
          parameters: { p: { type: "string", defaultValue: "[variables('v')]" } },
          variables: { v: "x" },
        }),
      ),
    );
    expect(error.message).toContain("The template function 'variables' is not expected at this location.");
    expect(error.templatePath).toBe("parameters.p.defaultValue");
  });

  it("a Key Vault reference without a resolver is rejected rather than ignored", () => {
    const error = templateErrorOf(() =>
      prepare(template({ parameters: { pw: { type: "securestring" } } }), {
        pw: { reference: { keyVault: { id: "/x" }, secretName: "s" } },
      }),
    );
    expect(error.message).toContain("Key Vault reference");
  });
});
