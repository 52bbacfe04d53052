// Resource declarations become instances as ARM makes them: copy loops, conditions, nested children
// with composed names and types, extension resources with a scope, and evaluated bodies.

import { describe, expect, it } from "vitest";
import {
  GROUP_ID,
  noRuntime,
  prepare,
  storageAccount,
  template,
  templateErrorOf,
} from "./deployment-fixtures.ts";

const vaultId = `${GROUP_ID}/providers/Microsoft.KeyVault/vaults/kv1`;

function vault(extra: Record<string, unknown> = {}) {
  return {
    type: "Microsoft.KeyVault/vaults",
    apiVersion: "2023-07-01",
    name: "kv1",
    location: "[resourceGroup().location]",
    properties: {
      tenantId: "[subscription().tenantId]",
      sku: { family: "A", name: "standard" },
      enableRbacAuthorization: true,
    },
    ...extra,
  };
}

describe("copy loops", () => {
  it("creates one instance per index, with copyIndex() in the name and the body", () => {
    const prepared = prepare(
      template({
        parameters: { count: { type: "int", defaultValue: 3 } },
        resources: [
          storageAccount("[concat('acct', copyIndex(1))]", {
            copy: { name: "accountLoop", count: "[parameters('count')]" },
            tags: { position: "[string(copyIndex())]" },
          }),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["acct1", "acct2", "acct3"]);
    expect(prepared.resources[1]?.copy).toEqual({ name: "accountLoop", index: 1, count: 3 });
    expect(prepared.evaluateResource(prepared.resources[2]!, noRuntime).body.tags).toEqual({ position: "2" });
  });

  it("deploys a serial loop batch after batch", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("[concat('s', copyIndex())]", {
            copy: { name: "serialLoop", count: 5, mode: "serial", batchSize: 2 },
          }),
        ],
      }),
    );
    const id = (n: number) => `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/s${n}`;
    expect(prepared.resources.map((r) => r.dependsOn)).toEqual([
      [],
      [],
      [id(0), id(1)],
      [id(0), id(1)],
      [id(2), id(3)],
    ]);
  });

  it("expands property loops inside a resource's properties", () => {
    const prepared = prepare(
      template({
        resources: [
          {
            type: "Microsoft.Compute/virtualMachines",
            apiVersion: "2024-03-01",
            name: "vm",
            location: "westus",
            properties: {
              storageProfile: {
                copy: [
                  { name: "dataDisks", count: 2, input: { lun: "[copyIndex('dataDisks')]", diskSizeGB: 32 } },
                ],
              },
            },
          },
        ],
      }),
    );
    const body = prepared.evaluateResource(prepared.resources[0]!, noRuntime).body;
    expect(body.properties).toEqual({
      storageProfile: {
        dataDisks: [
          { lun: 0, diskSizeGB: 32 },
          { lun: 1, diskSizeGB: 32 },
        ],
      },
    });
  });

  it("copyIndex() outside a loop is an error", () => {
    expect(
      templateErrorOf(() => prepare(template({ resources: [storageAccount("[concat('a', copyIndex())]")] })))
        .message,
    ).toContain("The template function 'copyIndex' is not expected at this location.");
  });

  it("copy on a nested resource is rejected like ARM does", () => {
    const error = templateErrorOf(() =>
      prepare(
        template({
          resources: [
            vault({
              resources: [
                {
                  type: "secrets",
                  apiVersion: "2023-07-01",
                  name: "s",
                  copy: { name: "l", count: 2 },
                  properties: {},
                },
              ],
            }),
          ],
        }),
      ),
    );
    expect(error.message).toContain("Copying nested resources is not supported.");
  });
});

describe("conditions", () => {
  it("skips a resource whose condition is false, and its nested children with it", () => {
    const prepared = prepare(
      template({
        parameters: { createVault: { type: "bool", defaultValue: false } },
        resources: [
          vault({
            condition: "[parameters('createVault')]",
            resources: [{ type: "secrets", apiVersion: "2023-07-01", name: "s", properties: { value: "x" } }],
          }),
          storageAccount("always"),
        ],
      }),
    );
    expect(prepared.resources.map((r) => r.name)).toEqual(["always"]);
    expect(prepared.skippedResources.map((r) => r.name)).toEqual(["kv1", "kv1/s"]);
  });

  it("a condition that is not a boolean fails", () => {
    expect(
      templateErrorOf(() => prepare(template({ resources: [storageAccount("a", { condition: "yes" })] })))
        .message,
    ).toContain("condition must evaluate to a boolean");
  });
});

describe("nested child resources", () => {
  it("composes the child's type and name from the parent's, for short and full forms", () => {
    const prepared = prepare(
      template({
        resources: [
          vault({
            resources: [
              {
                type: "secrets",
                apiVersion: "2023-07-01",
                name: "short",
                dependsOn: ["kv1"],
                properties: { value: "1" },
              },
              {
                type: "Microsoft.KeyVault/vaults/secrets",
                apiVersion: "2023-07-01",
                name: "[concat('kv1', '/', 'full')]",
                dependsOn: ["[resourceId('Microsoft.KeyVault/vaults', 'kv1')]"],
                properties: { value: "2" },
              },
            ],
          }),
        ],
      }),
    );
    expect(prepared.resources.map((r) => [r.type, r.name, r.id])).toEqual([
      ["Microsoft.KeyVault/vaults", "kv1", vaultId],
      ["Microsoft.KeyVault/vaults/secrets", "kv1/short", `${vaultId}/secrets/short`],
      ["Microsoft.KeyVault/vaults/secrets", "kv1/full", `${vaultId}/secrets/full`],
    ]);
    expect(prepared.resources[1]?.templatePath).toBe("resources[0].resources[0]");
    expect(prepared.evaluateResource(prepared.resources[1]!, noRuntime).body).toEqual({
      properties: { value: "1" },
    });
  });

  it("a top-level name with the wrong number of segments fails with 'incorrect segment lengths'", () => {
    expect(
      templateErrorOf(() =>
        prepare(
          template({
            resources: [{ type: "Microsoft.KeyVault/vaults/secrets", apiVersion: "1", name: "onlyone" }],
          }),
        ),
      ).message,
    ).toContain("has incorrect segment lengths");
  });

  it("a resource without a name fails like ARM's empty-name error", () => {
    expect(templateErrorOf(() => prepare(template({ resources: [storageAccount("")] }))).message).toContain(
      "The name property cannot be null or empty",
    );
  });
});

describe("extension resources with a scope", () => {
  const roleAssignment = (scope: string) => ({
    type: "Microsoft.Authorization/roleAssignments",
    apiVersion: "2022-04-01",
    name: "[guid(resourceId('Microsoft.KeyVault/vaults', 'kv1'), 'principal', 'role')]",
    scope,
    dependsOn: ["[resourceId('Microsoft.KeyVault/vaults', 'kv1')]"],
    properties: {
      roleDefinitionId:
        "[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')]",
      principalId: "principal",
    },
  });

  it.each([
    ["a resource ID", "[resourceId('Microsoft.KeyVault/vaults', 'kv1')]"],
    ["the short form namespace/type/name", "Microsoft.KeyVault/vaults/kv1"],
  ])("places the resource under its scope given as %s", (_form, scope) => {
    const prepared = prepare(template({ resources: [vault(), roleAssignment(scope)] }));
    const assignment = prepared.resources[1]!;
    expect(assignment.scope).toBe(vaultId);
    expect(assignment.id).toMatch(
      new RegExp(
        `^${vaultId}/providers/Microsoft\\.Authorization/roleAssignments/[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`,
      ),
    );
    expect(assignment.dependsOn).toEqual([vaultId]);
    const evaluated = prepared.evaluateResource(assignment, noRuntime);
    expect(evaluated.scope).toBe(vaultId);
    expect(evaluated.body).not.toHaveProperty("scope");
  });

  it("a scope in neither form is rejected", () => {
    expect(
      templateErrorOf(() => prepare(template({ resources: [vault(), roleAssignment("kv1")] }))).message,
    ).toContain("The scope 'kv1' is not valid");
  });
});

describe("resource bodies", () => {
  it("evaluates every property except the ones that steer the deployment", () => {
    const prepared = prepare(
      template({
        resources: [
          storageAccount("acct", {
            comments: "not sent",
            tags: { owner: "[toUpper('me')]" },
            identity: { type: "SystemAssigned" },
            properties: { supportsHttpsTrafficOnly: "[equals(1, 1)]", literal: "[[kept]" },
          }),
        ],
      }),
    );
    const resource = prepared.evaluateResource(prepared.resources[0]!, noRuntime);
    expect(resource).toEqual({
      id: `${GROUP_ID}/providers/Microsoft.Storage/storageAccounts/acct`,
      type: "Microsoft.Storage/storageAccounts",
      name: "acct",
      apiVersion: "2023-05-01",
      body: {
        location: "southcentralus",
        sku: { name: "Standard_LRS" },
        kind: "StorageV2",
        tags: { owner: "ME" },
        identity: { type: "SystemAssigned" },
        properties: { supportsHttpsTrafficOnly: true, literal: "[kept]" },
      },
    });
  });
});
