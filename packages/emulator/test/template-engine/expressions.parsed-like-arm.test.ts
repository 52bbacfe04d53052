// Template expression syntax: nesting, literals, escapes, property and index access, and syntax errors.

import { describe, expect, it } from "vitest";
import { evaluate, prepare, storageAccount, template, templateErrorOf } from "./deployment-fixtures.ts";

describe("expression syntax", () => {
  it("evaluates nested function calls", () => {
    expect(evaluate("[toUpper(concat(substring('abcdef', 1, 3), '-', string(add(1, mul(2, 3)))))]")).toBe(
      "BCD-7",
    );
  });

  it("reads a quote written twice inside a string literal as one quote", () => {
    expect(evaluate("[concat('it''s', ' ', '''quoted''')]")).toBe("it's 'quoted'");
  });

  it("keeps '[[...]' as literal text without the first bracket", () => {
    expect(evaluate("[[not an expression]")).toBe("[not an expression]");
  });

  it("leaves strings that do not both start with '[' and end with ']' alone", () => {
    expect(evaluate("[just text")).toBe("[just text");
    expect(evaluate("plain ] text")).toBe("plain ] text");
  });

  it("accepts whitespace between tokens and negative numbers", () => {
    expect(evaluate("[ add( 5 , -7 ) ]")).toBe(-2);
  });

  it("reads properties with '.', and with ['name'] ignoring case, on function results", () => {
    expect(evaluate("[resourceGroup().location]")).toBe("southcentralus");
    expect(evaluate("[resourceGroup()['LOCATION']]")).toBe("southcentralus");
    expect(evaluate('[json(\'{"a":{"B":[10,20,30]}}\').a.b[2]]')).toBe(30);
  });

  it("indexes arrays with expressions", () => {
    expect(evaluate("[createArray('x', 'y', 'z')[add(0, 1)]]")).toBe("y");
  });

  it("calls true(), false() and null()", () => {
    expect(evaluate("[createArray(true(), false(), null())]")).toEqual([true, false, null]);
  });

  it("treats function names as case-insensitive", () => {
    expect(evaluate("[CONCAT('a', ToLower('B'))]")).toBe("ab");
  });
});

describe("expression errors", () => {
  it("an unknown function is named in an InvalidTemplate error with the resource and JSON path", () => {
    const error = templateErrorOf(() =>
      prepare(
        template({ resources: [storageAccount("acct", { properties: { accountType: "[foo('x')]" } })] }),
      ),
    );
    expect(error.code).toBe("InvalidTemplate");
    expect(error.message).toBe(
      "Deployment template validation failed: 'The template resource 'acct' is not valid: The template function 'foo' is not valid. Please see https://aka.ms/arm-functions for usage details.. Please see https://aka.ms/arm-functions for usage details.'.",
    );
    expect(error.templatePath).toBe("resources[0].properties.accountType");
    expect(error.toErrorBody("properties.template").additionalInfo?.[0]?.info.path).toBe(
      "properties.template.resources[0].properties.accountType",
    );
  });

  it("an unknown function is found even in an if() branch that would not run", () => {
    const error = templateErrorOf(() =>
      prepare(template({ variables: { v: "[if(true(), 'ok', nope())]" } })),
    );
    expect(error.message).toContain(
      "The template variable 'v' is not valid: The template function 'nope' is not valid.",
    );
  });

  it("an unknown function in a resource name fails while the deployment is prepared", () => {
    const error = templateErrorOf(() => prepare(template({ resources: [storageAccount("[bogusName()]")] })));
    expect(error.message).toContain("The template function 'bogusName' is not valid.");
    expect(error.templatePath).toBe("resources[0].name");
  });

  it("a user-defined function (namespace.name) is named as not valid rather than ignored", () => {
    expect(() => evaluate("[contoso.uniqueName('x')]")).toThrow(
      /The template function 'contoso.uniqueName' is not valid/,
    );
  });

  it("lambdas and other unsupported functions are errors, never skipped", () => {
    expect(() => evaluate("[pickZones('Microsoft.Compute', 'virtualMachines', 'westus2')]")).toThrow(
      /The template function 'pickZones' is not valid/,
    );
  });

  it("a missing closing parenthesis fails the whole template with ARM's parse message", () => {
    const error = templateErrorOf(() =>
      prepare(template({ resources: [storageAccount("acct", { tags: { t: "[concat('a', 'b']" } })] })),
    );
    expect(error.message).toBe(
      "Deployment template language expression evaluation failed: 'Unable to parse language expression 'concat('a', 'b'': expected token 'RightParenthesis' and actual 'EndOfData'.'. Please see https://aka.ms/arm-template-expressions for usage details.",
    );
    expect(error.templatePath).toBe("resources[0].tags.t");
  });

  it("an unexpected character fails naming it and its position", () => {
    expect(() => evaluate("[concat('a') + 'b']")).toThrow(
      /the string character '\+' at position '12' is not expected/,
    );
  });

  it("a wrong number of arguments is reported", () => {
    expect(() => evaluate("[substring()]")).toThrow(
      /function requires between 2 and 3 argument\(s\) while 0 were provided/,
    );
  });

  it("a missing property lists the available ones", () => {
    expect(() => evaluate("[resourceGroup().nope]")).toThrow(
      "The language expression property 'nope' doesn't exist, available properties are 'id, name, type, location, tags, properties'.",
    );
  });

  it("a number used as a property name, or a property of a non-object, can't be evaluated", () => {
    expect(() => evaluate("[createObject('a', 1)[0]]")).toThrow(
      "The language expression property '0' can't be evaluated, property name must be a string.",
    );
    expect(() => evaluate("[null().x]")).toThrow("The language expression property 'x' can't be evaluated.");
  });

  it("an index past the end is out of bounds", () => {
    expect(() => evaluate("[createArray(1, 2)[2]]")).toThrow(
      "The language expression property array index '2' is out of bounds.",
    );
  });

  it("an unknown function in an output is reported while the deployment is prepared", () => {
    const error = templateErrorOf(() =>
      prepare(template({ outputs: { o: { type: "string", value: "[nope()]" } } })),
    );
    expect(error.message).toContain(
      "The template output 'o' is not valid: The template function 'nope' is not valid.",
    );
    expect(error.templatePath).toBe("outputs.o.value");
  });
});

describe("variables", () => {
  it("may use parameters and other variables, in any order", () => {
    const prepared = prepare(
      template({
        parameters: { env: { type: "string", defaultValue: "dev" } },
        variables: {
          fullName: "[concat(variables('prefix'), '-', parameters('env'))]",
          prefix: "[toLower('APP')]",
          settings: { name: "[variables('fullName')]", tags: ["[parameters('env')]"] },
        },
      }),
    );
    expect(prepared.variables).toEqual({
      fullName: "app-dev",
      prefix: "app",
      settings: { name: "app-dev", tags: ["dev"] },
    });
  });

  it("builds arrays from variable copy loops and property copy loops", () => {
    const prepared = prepare(
      template({
        variables: {
          copy: [
            {
              name: "disks",
              count: 2,
              input: { lun: "[copyIndex('disks')]", name: "[concat('disk', copyIndex('disks', 1))]" },
            },
          ],
          nested: { copy: [{ name: "items", count: 3, input: "[copyIndex('items')]" }] },
        },
      }),
    );
    expect(prepared.variables.disks).toEqual([
      { lun: 0, name: "disk1" },
      { lun: 1, name: "disk2" },
    ]);
    expect(prepared.variables.nested).toEqual({ items: [0, 1, 2] });
  });

  it("an unknown variable fails with ARM's 'is not found'", () => {
    const error = templateErrorOf(() => prepare(template({ variables: { a: "[variables('missing')]" } })));
    expect(error.message).toContain("The template variable 'missing' is not found.");
    expect(error.templatePath).toBe("variables.a");
  });

  it("variables that refer to each other in a circle fail", () => {
    const error = templateErrorOf(() =>
      prepare(template({ variables: { a: "[variables('b')]", b: "[variables('a')]" } })),
    );
    expect(error.message).toContain("has a circular reference: a -> b -> a");
  });

  it("reference() is not allowed in variables", () => {
    const error = templateErrorOf(() => prepare(template({ variables: { a: "[reference('x').y]" } })));
    expect(error.message).toContain("The template function 'reference' is not expected at this location.");
  });
});

describe("template structure", () => {
  it.each(["$schema", "contentVersion", "resources"])(
    "a template without %s fails with ARM's parse message",
    (property) => {
      const incomplete: Record<string, unknown> = template();
      delete incomplete[property];
      const error = templateErrorOf(() => prepare(incomplete));
      expect(error.code).toBe("InvalidTemplate");
      expect(error.message).toBe(
        `Deployment template parse failed: 'Required property '${property}' not found in JSON. Path ''.'.`,
      );
    },
  );

  it("ignores metadata and apiProfile", () => {
    const prepared = prepare(
      template({ metadata: { _generator: { name: "bicep" } }, apiProfile: "2019-03-01-hybrid" }),
    );
    expect(prepared.resources).toEqual([]);
  });

  it("rejects languageVersion 2.0 resources (an object) by saying so", () => {
    expect(
      templateErrorOf(() => prepare(template({ languageVersion: "2.0", resources: {} }))).message,
    ).toContain("languageVersion 2.0");
  });
});
