// At deployment time reference(), listKeys() and list*() reach resources deployed earlier through the
// caller's callbacks, and outputs are evaluated and typed as Azure returns them.

import { describe, expect, it } from "vitest";
import type { RuntimeCallbacks, TemplateValue } from "../../src/template-engine/index.ts";
import {
  GROUP_ID,
  noRuntime,
  prepare,
  storageAccount,
  template,
  templateErrorOf,
} from "./deployment-fixtures.ts";

const accountId = `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/producer`;

/** A tiny in-memory "ARM": what the deployments API would keep for resources it already created. */
function runtimeWith(resources: Record<string, TemplateValue>, calls: string[] = []): RuntimeCallbacks {
  return {
    reference(id, apiVersion, full) {
      calls.push(`reference ${id} ${apiVersion ?? "-"} ${full}`);
      const resource = resources[id];
      if (resource === undefined) throw new Error(`The Resource '${id}' was not found.`);
      return full ? resource : ((resource as { properties: TemplateValue }).properties ?? null);
    },
    listKeys(id, apiVersion) {
      calls.push(`listKeys ${id} ${apiVersion}`);
      return { keys: [{ keyName: "key1", value: "secret-key" }] };
    },
    list(functionName, id, apiVersion, body) {
      calls.push(`${functionName} ${id} ${apiVersion} ${JSON.stringify(body ?? null)}`);
      return { accountSasToken: "sv=x" };
    },
  };
}

const producer = {
  id: accountId,
  location: "southcentralus",
  properties: { primaryEndpoints: { blob: "https://producer.blob.core.windows.net/" } },
};

describe("reference()", () => {
  it("returns the properties of a resource deployed earlier, by name, by ID, and in full", () => {
    const calls: string[] = [];
    const prepared = prepare(
      template({
        resources: [
          storageAccount("producer"),
          storageAccount("consumer", {
            dependsOn: ["producer"],
            properties: {
              byName: "[reference('producer').primaryEndpoints.blob]",
              byId: "[reference(resourceId('Microsoft.Storage/storageAccounts', 'producer'), '2023-05-01').primaryEndpoints.blob]",
              full: "[reference('producer', '2023-05-01', 'Full').location]",
            },
          }),
        ],
      }),
    );
    const body = prepared.evaluateResource(
      prepared.resources[1]!,
      runtimeWith({ [accountId]: producer }, calls),
    ).body;
    expect(body.properties).toEqual({
      byName: "https://producer.blob.core.windows.net/",
      byId: "https://producer.blob.core.windows.net/",
      full: "southcentralus",
    });
    expect(calls).toEqual([
      `reference ${accountId} - false`,
      `reference ${accountId} 2023-05-01 false`,
      `reference ${accountId} 2023-05-01 true`,
    ]);
  });

  it("turns a callback failure into ARM's runtime error for the calling resource", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("consumer", {
            properties: { x: "[reference(resourceId('Microsoft.Storage/storageAccounts', 'gone')).y]" },
          }),
        ],
      }),
    );
    const error = templateErrorOf(() => prepared.evaluateResource(prepared.resources[0]!, runtimeWith({})));
    const goneId = `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/gone`;
    expect(error.code).toBe("InvalidTemplate");
    expect(error.message).toBe(
      `Unable to process template language expressions for resource '${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/consumer'. 'The Resource '${goneId}' was not found.'`,
    );
    expect(error.templatePath).toBe("resources[0].properties.x");
  });

  it("cannot be used in a resource name, which ARM needs before anything is deployed", () => {
    expect(
      templateErrorOf(() => prepare(template({ resources: [storageAccount("[reference('x').name]")] })))
        .message,
    ).toContain("The template function 'reference' is not expected at this location.");
  });
});

describe("listKeys() and other list functions", () => {
  it("call the runtime with the resolved ID and api-version", () => {
    const calls: string[] = [];
    const prepared = prepare(
      template({
        resources: [storageAccount("producer")],
        outputs: {
          key: { type: "string", value: "[listKeys('producer', '2023-05-01').keys[0].value]" },
          sas: {
            type: "string",
            value:
              "[listAccountSas(resourceId('Microsoft.Storage/storageAccounts', 'producer'), '2023-05-01', createObject('signedExpiry', '2030-01-01')).accountSasToken]",
          },
        },
      }),
    );
    const outputs = prepared.evaluateOutputs(runtimeWith({ [accountId]: producer }, calls));
    expect(outputs.key).toEqual({ type: "String", value: "secret-key" });
    expect(outputs.sas).toEqual({ type: "String", value: "sv=x" });
    expect(calls).toEqual([
      `listKeys ${accountId} 2023-05-01`,
      `listAccountSas ${accountId} 2023-05-01 {"signedExpiry":"2030-01-01"}`,
    ]);
  });

  it("a list function the runtime does not offer is named in the error", () => {
    const prepared = prepare(
      template({ outputs: { o: { type: "object", value: "[listSecrets('/x', '1')]" } } }),
    );
    const error = templateErrorOf(() => prepared.evaluateOutputs(noRuntime));
    expect(error.details?.[0]?.message).toContain("The template function 'listSecrets' is not valid");
  });
});

describe("outputs", () => {
  it("are typed as Azure returns them, with secure values left out and false conditions dropped", () => {
    const prepared = prepare(
      template({
        outputs: {
          text: { type: "string", value: "[concat('a', 'b')]" },
          number: { type: "int", value: "[add(1, 2)]" },
          flag: { type: "bool", value: "[equals(1, 1)]" },
          object: { type: "object", value: { nested: "[toUpper('x')]" } },
          list: { type: "array", value: "[createArray(1, 2)]" },
          secret: { type: "securestring", value: "hidden" },
          skipped: { type: "string", condition: "[equals(1, 2)]", value: "no" },
          looped: { type: "array", copy: { count: 2, input: "[concat('item', copyIndex())]" } },
        },
      }),
    );
    expect(prepared.evaluateOutputs(noRuntime)).toEqual({
      text: { type: "String", value: "ab" },
      number: { type: "Int", value: 3 },
      flag: { type: "Bool", value: true },
      object: { type: "Object", value: { nested: "X" } },
      list: { type: "Array", value: [1, 2] },
      secret: { type: "SecureString" },
      looped: { type: "Array", value: ["item0", "item1"] },
    });
  });

  it("failures are reported together as ARM's DeploymentOutputEvaluationFailed, one detail per output", () => {
    const prepared = prepare(
      template({
        outputs: {
          n: { type: "int", value: "five" },
          fine: { type: "string", value: "ok" },
          missing: {
            type: "string",
            value: "[reference(resourceId('Microsoft.Storage/storageAccounts', 'gone')).x]",
          },
        },
      }),
    );
    const error = templateErrorOf(() => prepared.evaluateOutputs(runtimeWith({})));
    expect(error.code).toBe("DeploymentOutputEvaluationFailed");
    expect(error.message).toBe(
      "Unable to evaluate template outputs: 'n, missing'. Please see error details and deployment operations. Please see https://aka.ms/arm-common-errors for usage details.",
    );
    expect(error.toErrorBody().details).toEqual([
      {
        code: "DeploymentOutputEvaluationFailed",
        target: "n",
        message:
          "The template output 'n' is not valid: Template output JToken type is not valid. Expected 'Integer'. Actual 'String'..",
      },
      {
        code: "DeploymentOutputEvaluationFailed",
        target: "missing",
        message: `The template output 'missing' is not valid: The Resource '${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/gone' was not found..`,
      },
    ]);
  });
});
