// `--state FILE`: load the saved world if the file exists, else start from the scenario; every commit rewrites it atomically.
import { readFile } from "node:fs/promises";
import { writeFileAtomically } from "../files/atomic-file.ts";
import { parseScenario, type Scenario } from "./scenario-schema.ts";
import { type WorldSnapshot, WorldState } from "./world-state.ts";

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

export async function openWorld(scenario: Scenario, statePath: string | undefined): Promise<WorldState> {
  if (!statePath) return WorldState.fromScenario(scenario);
  const saved = await readSnapshot(statePath);
  const world = saved ? WorldState.fromSnapshot(saved) : WorldState.fromScenario(scenario);
  world.attachPersistence((snapshot) =>
    writeFileAtomically(statePath, `${JSON.stringify(snapshot, null, 2)}\n`, 0o600),
  );
  // A new state file exists from the first moment, so a restart finds the same world even before any change.
  if (!saved) await world.commit();
  return world;
}

async function readSnapshot(statePath: string): Promise<WorldSnapshot | undefined> {
  let text: string;
  try {
    text = await readFile(statePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new StateFileError(`Cannot read state file ${statePath}: ${(error as Error).message}`);
  }
  let parsed: Partial<WorldSnapshot>;
  try {
    parsed = JSON.parse(text) as Partial<WorldSnapshot>;
  } catch (error) {
    throw new StateFileError(`State file ${statePath} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed.format !== "msi-emulator-state" || parsed.version !== 1) {
    throw new StateFileError(
      `${statePath} is not an msi-emulator state file (expected "format": "msi-emulator-state", "version": 1)`,
    );
  }
  return {
    ...(parsed as WorldSnapshot),
    scenario: parseScenario(parsed.scenario, `scenario inside state file ${statePath}`),
  };
}
