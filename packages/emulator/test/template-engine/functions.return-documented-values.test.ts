// Every supported template function returns what the ARM function reference documents.
// Where the docs give an example, the example's input and output are used.

import { describe, expect, it } from "vitest";
import { supportedFunctionNames } from "../../src/template-engine/index.ts";
import {
  context,
  evaluate,
  GROUP_ID,
  prepare,
  SUBSCRIPTION_ID,
  TENANT_ID,
  template,
  templateErrorOf,
} from "./deployment-fixtures.ts";

describe("string functions", () => {
  it.each([
    ["[base64('one, two, three')]", "b25lLCB0d28sIHRocmVl"],
    ["[base64ToString('b25lLCB0d28sIHRocmVl')]", "one, two, three"],
    ['[base64ToJson(base64(\'{"one": "a"}\')).one]', "a"],
    ["[concat('prefix', '-', 5, '-', true())]", "prefix-5-True"],
    ["[dataUri('Hello')]", "data:text/plain;charset=utf8;base64,SGVsbG8="],
    ["[dataUriToString('data:;base64,SGVsbG8sIFdvcmxkIQ==')]", "Hello, World!"],
    ["[endsWith('abcdef', 'ef')]", true],
    ["[endsWith('abcdef', 'F')]", true],
    ["[endsWith('abcdef', 'e')]", false],
    ["[startsWith('abcdef', 'ab')]", true],
    ["[startsWith('abcdef', 'A')]", true],
    ["[startsWith('abcdef', 'e')]", false],
    [
      "[format('{0}, {1}. Formatted number: {2:N0}', 'Hello', 'User', 8175133)]",
      "Hello, User. Formatted number: 8,175,133",
    ],
    ["[format('{0:D3}-{{literal}}', 7)]", "007-{literal}"],
    ["[indexOf('test', 't')]", 0],
    ["[indexOf('abcdef', 'CD')]", 2],
    ["[indexOf('abcdef', 'z')]", -1],
    ["[lastIndexOf('test', 't')]", 3],
    ["[lastIndexOf('abcdef', 'AB')]", 0],
    ["[padLeft('123', 10, '0')]", "0000000123"],
    ["[padLeft(7, 3, '0')]", "007"],
    ["[replace('123-123-1234', '-', '')]", "1231231234"],
    ["[split('one,two,three', ',')]", ["one", "two", "three"]],
    ["[split('one;two,three', createArray(',', ';'))]", ["one", "two", "three"]],
    [
      "[string(createObject('valueA', 10, 'valueB', 'Example Text'))]",
      '{"valueA":10,"valueB":"Example Text"}',
    ],
    ["[string(createArray('a', 'b', 'c'))]", '["a","b","c"]'],
    ["[string(5)]", "5"],
    ["[string(false())]", "False"],
    ["[substring('one two three', 4, 3)]", "two"],
    ["[substring('one two three', 4)]", "two three"],
    ["[toLower('One Two Three')]", "one two three"],
    ["[toUpper('One Two Three')]", "ONE TWO THREE"],
    ["[trim('    one two three   ')]", "one two three"],
    [
      "[uri('http://contoso.com/resources/', 'nested/azuredeploy.json')]",
      "http://contoso.com/resources/nested/azuredeploy.json",
    ],
    [
      "[uri('http://contoso.com/resources/azuredeploy.json', 'nested.json')]",
      "http://contoso.com/resources/nested.json",
    ],
    [
      "[uriComponent('http://contoso.com/resources/nested/azuredeploy.json')]",
      "http%3A%2F%2Fcontoso.com%2Fresources%2Fnested%2Fazuredeploy.json",
    ],
    ["[uriComponentToString('http%3A%2F%2Fcontoso.com')]", "http://contoso.com"],
  ])("%s is %j", (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it("substring() outside the string fails with ARM's message", () => {
    expect(() => evaluate("[substring('abc', 1, 5)]")).toThrow(
      "Unable to evaluate the template language function 'substring'. The index and length parameters must refer to a location within the string. The index parameter: '1', the length parameter: '5', the length of the string parameter: '3'.",
    );
  });

  it("format() with a missing argument fails", () => {
    expect(() => evaluate("[format('{1}', 'a')]")).toThrow(
      /Index \(zero based\) must be greater than or equal to zero/,
    );
  });

  it("newGuid() and utcNow() work only in parameter defaults", () => {
    const prepared = prepare(
      template({
        parameters: {
          id: { type: "string", defaultValue: "[newGuid()]" },
          now: { type: "string", defaultValue: "[utcNow()]" },
        },
      }),
    );
    expect(prepared.parameterValues.id).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(prepared.parameterValues.now).toMatch(/^\d{8}T\d{6}Z$/);
    expect(() => evaluate("[newGuid()]")).toThrow(
      "The template function 'newGuid' is not expected at this location.",
    );
  });
});

describe("array and object functions", () => {
  it.each([
    ["[array('efgh')]", ["efgh"]],
    ["[coalesce(null(), null(), 'default')]", "default"],
    ["[coalesce(null())]", null],
    ["[concat(createArray('1-1', '1-2'), createArray('2-1'))]", ["1-1", "1-2", "2-1"]],
    ["[contains('OneTwoThree', 'e')]", true],
    ["[contains('OneTwoThree', 'z')]", false],
    ["[contains('OneTwoThree', 'one')]", false],
    ["[contains(createObject('one', 'a'), 'ONE')]", true],
    ["[contains(createArray('one', 'two'), 'two')]", true],
    [
      "[createObject('intProp', 1, 'arrayProp', createArray('a', 'b'))]",
      { intProp: 1, arrayProp: ["a", "b"] },
    ],
    ["[empty('')]", true],
    ["[empty(createArray())]", true],
    ["[empty(createObject())]", true],
    ["[empty(null())]", true],
    ["[empty('x')]", false],
    ["[first(createArray('one', 'two'))]", "one"],
    ["[first('One Two')]", "O"],
    ["[last(createArray('one', 'two'))]", "two"],
    ["[last('One Two')]", "o"],
    ["[indexOf(createArray('a', 'b', 'c'), 'c')]", 2],
    ["[intersection(createArray('one', 'two', 'three'), createArray('two', 'three'))]", ["two", "three"]],
    [
      "[items(createObject('b', 2, 'a', 1))]",
      [
        { key: "a", value: 1 },
        { key: "b", value: 2 },
      ],
    ],
    ["[join(createArray('a', 'b'), '-')]", "a-b"],
    ["[json('{\"a\": [1, true]}')]", { a: [1, true] }],
    ["[json('null')]", null],
    ["[length(createArray('a', 'b', 'c'))]", 3],
    ["[length('One Two Three')]", 13],
    ["[length(createObject('a', 1, 'b', 2))]", 2],
    ["[max(createArray(0, 3, 2, 5, 4))]", 5],
    ["[min(0, 3, 2, 5, 4)]", 0],
    ["[range(1, 3)]", [1, 2, 3]],
    ["[skip(createArray('one', 'two', 'three'), 2)]", ["three"]],
    ["[skip('one two three', 4)]", "two three"],
    ["[take(createArray('one', 'two', 'three'), 2)]", ["one", "two"]],
    ["[take('one two three', 2)]", "on"],
    ["[union(createArray('one', 'two'), createArray('two', 'three'))]", ["one", "two", "three"]],
    [
      "[union(createObject('a', 'b', 'nested', createObject('x', 1, 'list', createArray(1))), createObject('c', 'd', 'nested', createObject('y', 2, 'list', createArray(2))))]",
      { a: "b", nested: { x: 1, list: [2], y: 2 }, c: "d" },
    ],
  ])("%s is %j", (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it("length() of a number names the types it accepts", () => {
    expect(() => evaluate("[length(5)]")).toThrow(
      "The template language function 'length' expects its parameter to be an array, an object, or a string. The provided value is of type 'Integer'.",
    );
  });
});

describe("logical, comparison and numeric functions", () => {
  it.each([
    ["[and(true(), true(), false())]", false],
    ["[or(false(), true())]", true],
    ["[not(equals(1, 2))]", true],
    ["[bool('TRUE')]", true],
    ["[bool(0)]", false],
    ["[if(equals('a', 'a'), 'yes', 'no')]", "yes"],
    ["[equals('a', 'A')]", false],
    ["[equals(createArray(1, 2), createArray(1, 2))]", true],
    ["[equals(createObject('A', 1), createObject('a', 1))]", true],
    ["[greater(10, 5)]", true],
    ["[greater('A', 'a')]", false],
    ["[greaterOrEquals(5, 5)]", true],
    ["[less(5, 10)]", true],
    ["[lessOrEquals('a', 'A')]", false],
    ["[add(5, 3)]", 8],
    ["[sub(7, 3)]", 4],
    ["[mul(5, 3)]", 15],
    ["[div(8, 3)]", 2],
    ["[div(-8, 3)]", -2],
    ["[mod(7, 3)]", 1],
    ["[int('4')]", 4],
  ])("%s is %j", (expression, expected) => {
    expect(evaluate(expression)).toEqual(expected);
  });

  it("if() evaluates only the branch it takes", () => {
    expect(evaluate("[if(true(), 'ok', substring('abc', 5, 1))]")).toBe("ok");
    expect(() => evaluate("[if(false(), 'ok', substring('abc', 5, 1))]")).toThrow(
      /The index and length parameters must refer/,
    );
  });

  it("and() needs booleans", () => {
    expect(() => evaluate("[and(true(), 'yes')]")).toThrow(
      /expects its parameter to be of type 'Boolean'. The provided value is of type 'String'/,
    );
  });

  it("div() by zero fails instead of returning Infinity", () => {
    expect(() => evaluate("[div(1, 0)]")).toThrow(/The divisor must not be zero/);
  });
});

describe("deployment and resource functions", () => {
  it("resourceGroup() describes the target group", () => {
    expect(evaluate("[resourceGroup()]")).toEqual({
      id: GROUP_ID,
      name: "myrg",
      type: "Microsoft.Resources/resourceGroups",
      location: "southcentralus",
      tags: { env: "test" },
      properties: { provisioningState: "Succeeded" },
    });
  });

  it("subscription() and tenant() describe the caller's subscription and tenant", () => {
    expect(evaluate("[subscription()]")).toEqual({
      id: `/subscriptions/${SUBSCRIPTION_ID}`,
      subscriptionId: SUBSCRIPTION_ID,
      tenantId: TENANT_ID,
      displayName: "Emulator subscription",
    });
    expect(evaluate("[tenant().tenantId]")).toBe(TENANT_ID);
    expect(evaluate("[tenant().id]")).toBe(`/tenants/${TENANT_ID}`);
  });

  it("environment() is global Azure's", () => {
    expect(evaluate("[environment().name]")).toBe("AzureCloud");
    expect(evaluate("[environment().suffixes.keyvaultDns]")).toBe(".vault.azure.net");
    expect(evaluate("[environment().authentication.loginEndpoint]")).toBe(
      "https://login.microsoftonline.com/",
    );
  });

  it("deployment() shows the name, the template, the parameters and the mode", () => {
    const result = evaluate("[deployment()]") as { name: string; properties: Record<string, unknown> };
    expect(result.name).toBe("mydeployment");
    expect(result.properties.mode).toBe("Incremental");
    expect(result.properties.provisioningState).toBe("Accepted");
    expect(result.properties.templateHash).toMatch(/^\d+$/);
    expect((result.properties.template as { contentVersion: string }).contentVersion).toBe("1.0.0.0");
  });

  it("deployment().properties.templateLink is there for a linked template", async () => {
    const { prepareDeployment } = await import("../../src/template-engine/index.ts");
    const prepared = prepareDeployment({
      template: template({
        outputs: {
          link: { type: "string", value: "[uri(deployment().properties.templateLink.uri, 'nested.json')]" },
        },
      }),
      context: { ...context, templateLink: { uri: "https://example.com/templates/main.json" } },
    });
    expect(prepared.evaluateOutputs({ reference: () => null }).link?.value).toBe(
      "https://example.com/templates/nested.json",
    );
  });

  it.each([
    [
      "[resourceId('Microsoft.Storage/storageAccounts', 'acct')]",
      `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/acct`,
    ],
    [
      "[resourceId('otherrg', 'Microsoft.Storage/storageAccounts', 'acct')]",
      `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/otherrg/providers/Microsoft.Storage/storageAccounts/acct`,
    ],
    [
      "[resourceId('11111111-1111-1111-1111-111111111111', 'rg2', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'default')]",
      "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg2/providers/Microsoft.Network/virtualNetworks/vnet/subnets/default",
    ],
    [
      "[resourceId('Microsoft.KeyVault/vaults/secrets', 'kv/secret')]",
      `${GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv/secrets/secret`,
    ],
    [
      "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7-3385-48ef-bd42-f606fba81ae7')]",
      `/subscriptions/${SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
    ],
    [
      "[tenantResourceId('Microsoft.Authorization/policyDefinitions', 'p1')]",
      "/providers/Microsoft.Authorization/policyDefinitions/p1",
    ],
    [
      "[extensionResourceId(resourceId('Microsoft.KeyVault/vaults', 'kv'), 'Microsoft.Authorization/roleAssignments', 'ra1')]",
      `${GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv/providers/Microsoft.Authorization/roleAssignments/ra1`,
    ],
  ])("%s is %s", (expression, expected) => {
    expect(evaluate(expression)).toBe(expected);
  });

  it("resourceId() with the wrong number of names fails", () => {
    expect(() => evaluate("[resourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]")).toThrow(
      /requires '2' resource name argument\(s\)/,
    );
  });

  it("resourceId() needs string arguments", () => {
    expect(() => evaluate("[resourceId('Microsoft.Storage/storageAccounts', 5)]")).toThrow(
      "Unable to evaluate template language function 'resourceId': all function arguments must be string literals.",
    );
  });

  it("parameters() of an undeclared name fails", () => {
    const error = templateErrorOf(() => evaluate("[parameters('nope')]"));
    expect(error.message).toContain("The template parameter 'nope' is not found.");
  });
});

describe("the function list", () => {
  it("includes every function the issue and the lab template need", () => {
    const required = [
      "parameters",
      "variables",
      "resourceGroup",
      "subscription",
      "concat",
      "format",
      "toLower",
      "toUpper",
      "uniqueString",
      "resourceId",
      "reference",
      "if",
      "equals",
      "length",
      "substring",
      "guid",
      "subscriptionResourceId",
      "extensionResourceId",
      "tenant",
      "base64",
      "string",
      "int",
      "bool",
      "not",
      "and",
      "or",
      "empty",
      "contains",
      "replace",
      "split",
      "union",
      "createObject",
      "createArray",
      "coalesce",
      "last",
      "first",
      "uri",
      "deployment",
      "environment",
      "trim",
      "startsWith",
      "endsWith",
      "greater",
      "less",
      "add",
      "sub",
      "mul",
      "div",
      "mod",
      "padLeft",
      "json",
      "listKeys",
      "dataUri",
      "take",
      "skip",
      "indexOf",
      "copyIndex",
      "null",
      "true",
      "false",
    ];
    const supported = new Set(supportedFunctionNames());
    expect(required.filter((name) => !supported.has(name.toLowerCase()))).toEqual([]);
  });
});
