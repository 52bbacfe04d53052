// Scenario files are validated with a schema; every problem is reported with the path of the bad field. The shipped
// scenarios are valid, and their JSON Schema for editors is up to date.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO_PATH, loadScenarioFile, parseScenario, ScenarioError } from "../../src/index.ts";
import { scenarioJsonSchema } from "../../src/state/scenario-schema.ts";

const scenariosDir = path.dirname(DEFAULT_SCENARIO_PATH);

describe("scenario validation", () => {
  it("accepts the shipped scenarios", async () => {
    const defaults = await loadScenarioFile(DEFAULT_SCENARIO_PATH);
    expect(defaults.vm.name).toBe("vm-msi-samples");
    const missingRole = await loadScenarioFile(path.join(scenariosDir, "missing-role.json"));
    expect(missingRole.roleAssignments).toHaveLength(1);
  });

  it("names each bad field", async () => {
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    scenario.vm.resourceGroup = "rg-not-listed";
    scenario.subscriptions[0].id = "not-a-guid";
    scenario.roleAssignments[0].role = "Supreme Leader";
    scenario.roleAssignments[1].principal = "id-unknown";
    let message = "";
    try {
      parseScenario(scenario);
    } catch (error) {
      expect(error).toBeInstanceOf(ScenarioError);
      message = (error as Error).message;
    }
    expect(message).toContain("subscriptions.0.id: must be a GUID");
    expect(message).toContain("roleAssignments.0.role: unknown built-in role 'Supreme Leader'");
    expect(message).toContain("roleAssignments.1.principal:");
  });

  it("checks the VM's resource group exists", async () => {
    const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
    scenario.vm.resourceGroup = "rg-not-listed";
    expect(() => parseScenario(scenario)).toThrow(
      /vm\.resourceGroup: resource group 'rg-not-listed' is not in resourceGroups/,
    );
  });

  it("ships a JSON Schema that matches the zod schema", async () => {
    const shipped = JSON.parse(await readFile(path.join(scenariosDir, "scenario.schema.json"), "utf8"));
    expect(shipped).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});
