// Resources come out in an order that respects dependsOn (in every form ARM accepts) and implicit
// reference() dependencies; missing targets and cycles fail with ARM's messages.

import { describe, expect, it } from "vitest";
import { GROUP_ID, prepare, storageAccount, template, templateErrorOf } from "./deployment-fixtures.ts";

const accountId = (name: string) => `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/${name}`;

describe("dependency order", () => {
  it("deploys a resource after those it depends on, whatever the template order", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("third", {
            dependsOn: ["[resourceId('Microsoft.Storage/storageAccounts', 'second')]"],
          }),
          storageAccount("second", { dependsOn: ["Microsoft.Storage/storageAccounts/first"] }),
          storageAccount("first"),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["first", "second", "third"]);
    expect(prepared.resources[2]?.dependsOn).toEqual([accountId("second")]);
  });

  it("keeps template order among resources that are ready together", () => {
    const prepared = prepare(
      template({ resources: [storageAccount("b"), storageAccount("a"), storageAccount("c")] }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["b", "a", "c"]);
  });

  it("accepts a plain resource name and a copy loop name in dependsOn", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("after", { dependsOn: ["accounts", "single"] }),
          storageAccount("[concat('acct', copyIndex())]", { copy: { name: "accounts", count: 2 } }),
          storageAccount("single"),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["acct0", "acct1", "single", "after"]);
    expect(prepared.resources[3]?.dependsOn).toEqual([
      accountId("acct0"),
      accountId("acct1"),
      accountId("single"),
    ]);
  });

  it("makes reference('name') of a template resource an implicit dependency", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("consumer", {
            properties: { endpoint: "[reference('producer').primaryEndpoints.blob]" },
          }),
          storageAccount("producer"),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["producer", "consumer"]);
    expect(prepared.resources[1]?.dependsOn).toEqual([accountId("producer")]);
  });

  it("drops dependencies on resources whose condition is false", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("skipped", { condition: "[equals(1, 2)]" }),
          storageAccount("kept", { dependsOn: ["skipped"] }),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["kept"]);
    expect(prepared.resources[0]?.dependsOn).toEqual([]);
    expect(prepared.skippedResources.map((r) => r.name)).toEqual(["skipped"]);
  });
});

describe("dependency errors", () => {
  it("a dependsOn resource ID that is not in the template fails with 'is not defined in the template'", () => {
    const error = templateErrorOf(() =>
      prepare(
        template({
          resources: [
            storageAccount("a", { dependsOn: ["[resourceId('Microsoft.Compute/virtualMachines', 'vm')]"] }),
          ],
        }),
      ),
    );
    expect(error.message).toBe(
      `Deployment template validation failed: 'The resource '${GROUP_ID}/providers/Microsoft.Compute/virtualMachines/vm' is not defined in the template. Please see https://aka.ms/arm-template for usage details.'.`,
    );
    expect(error.templatePath).toBe("resources[0].dependsOn[0]");
  });

  it("a dependsOn name that matches nothing fails as an invalid template reference", () => {
    const error = templateErrorOf(() =>
      prepare(template({ resources: [storageAccount("a", { dependsOn: ["appServicePlan"] })] })),
    );
    expect(error.message).toBe(
      "Deployment template validation failed: 'The template reference 'appServicePlan' is not valid: could not find template resource or resource copy with this name. Please see https://aka.ms/arm-function-reference for usage details.'.",
    );
  });

  it("a cycle fails with ARM's 'Circular dependency detected' and the cycle in the details", () => {
    const error = templateErrorOf(() =>
      prepare(
        template({
          resources: [
            storageAccount("a", { dependsOn: ["c"] }),
            storageAccount("b", { dependsOn: ["a"] }),
            storageAccount("c", { dependsOn: ["b"] }),
            storageAccount("free"),
          ],
        }),
      ),
    );
    expect(error.code).toBe("InvalidTemplate");
    expect(error.message).toBe(
      `Deployment template validation failed: 'Circular dependency detected on resource: '${accountId("a")}'. Please see https://aka.ms/arm-syntax-resources for usage details.'.`,
    );
    expect(error.details?.[0]?.message).toBe(
      `Dependency cycle: ${accountId("a")} -> ${accountId("c")} -> ${accountId("b")} -> ${accountId("a")}`,
    );
    expect(error.templatePath).toBe("resources[0].dependsOn");
  });
});
