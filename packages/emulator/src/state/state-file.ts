// `--state FILE`: open the saved world (a SQLite database), or start one from the scenario; migrate a state file from
// the JSON days; refuse, naming the file, anything else, without ever resetting or overwriting it.
import { copyFile, open, readFile, rename, rm } from "node:fs/promises";
import { z } from "zod";
import { parseScenario, type Scenario, ScenarioError } from "./scenario-schema.ts";
import { SqliteStateStore, StateStoreError, type StoredWorld } from "./sqlite-state-store.ts";
import {
  type NamespaceDefinition,
  NamespaceShapeError,
  type WorldSnapshot,
  WorldState,
} from "./world-state.ts";

export class StateFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateFileError";
  }
}

const SQLITE_MAGIC = "SQLite format 3\0";

/**
 * The world of `statePath` (or of the scenario alone, without one). `namespaces` are the services' typed state: a
 * state file's are checked here, so a wrongly shaped one is refused at start, naming the file, not on a request.
 */
export async function openWorld(
  scenario: Scenario,
  statePath: string | undefined,
  namespaces: readonly NamespaceDefinition<unknown>[] = [],
): Promise<WorldState> {
  if (!statePath) return WorldState.fromScenario(scenario);
  try {
    const kind = await kindOfFile(statePath);
    if (kind === "sqlite") {
      const store = SqliteStateStore.open(statePath, undefined);
      try {
        const world = WorldState.fromSnapshot(snapshotOf(store.read(), statePath));
        world.checkNamespaces(namespaces);
        world.attachStore(store);
        return world;
      } catch (error) {
        store.close();
        throw error;
      }
    }
    if (kind === "other")
      throw new StateFileError(
        `${statePath} is not an msi-emulator state file; it was left as it is. Give --state a new file name, or move this file away.`,
      );
    if (kind === "json") {
      await migrateJsonState(statePath);
      return await openWorld(scenario, statePath, namespaces);
    }
    const fresh = WorldState.fromScenario(scenario);
    // A new state file holds the world from the first moment, so a restart finds it even before any change.
    const store = SqliteStateStore.open(statePath, { scenario: fresh.scenario });
    fresh.attachStore(store, { everything: true });
    await fresh.commit();
    return fresh;
  } catch (error) {
    if (error instanceof StateStoreError || error instanceof ScenarioError)
      throw new StateFileError(error.message);
    if (error instanceof NamespaceShapeError)
      throw notShapedLikeAWorld(statePath, error.where, error.problem);
    throw error;
  }
}

async function kindOfFile(statePath: string): Promise<"missing" | "sqlite" | "json" | "other"> {
  let head: string;
  try {
    const handle = await open(statePath, "r");
    try {
      const buffer = Buffer.alloc(64);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
      head = buffer.subarray(0, bytesRead).toString("latin1");
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "missing";
    throw new StateFileError(`Cannot read state file ${statePath}: ${(error as Error).message}`);
  }
  if (head.startsWith(SQLITE_MAGIC)) return "sqlite";
  // The JSON files of format version 1, perhaps saved by an editor with a UTF-8 byte order mark.
  if (/^(\xEF\xBB\xBF)?\s*\{/.test(head)) return "json";
  return "other";
}

/**
 * Turns a version-1 JSON state file into a database in place. The JSON is kept beside it as `<file>.v1.json`; the
 * database is built under another name and renamed over the file only when complete.
 */
async function migrateJsonState(statePath: string): Promise<void> {
  const text = (await readFile(statePath, "utf8")).replace(/^\uFEFF/, "");
  let parsed: Partial<WorldSnapshot>;
  try {
    parsed = JSON.parse(text) as Partial<WorldSnapshot>;
  } catch (error) {
    throw new StateFileError(`State file ${statePath} is not valid JSON: ${(error as Error).message}`);
  }
  if (parsed.format !== "msi-emulator-state" || (parsed.version as number) !== 1)
    throw new StateFileError(
      `${statePath} is not an msi-emulator state file (expected "format": "msi-emulator-state", "version": 1); it was left as it is.`,
    );
  const world = WorldState.fromSnapshot(
    snapshotOf(
      {
        scenario: parsed.scenario,
        currentVm: parsed.currentVm,
        groups: parsed.resourceGroups as unknown[],
        resources: parsed.resources as unknown[],
        roleAssignments: parsed.roleAssignments as unknown[],
        namespaces: parsed.namespaces as Record<string, unknown>,
      },
      statePath,
    ),
  );
  const building = `${statePath}.migrating`;
  await rm(building, { force: true });
  const store = SqliteStateStore.open(building, { scenario: world.scenario });
  try {
    world.attachStore(store, { everything: true });
    await world.commit();
  } finally {
    store.close();
  }
  await copyFile(statePath, `${statePath}.v1.json`);
  await rename(building, statePath);
}

const recordsSchema = {
  groups: z.array(
    z.looseObject({
      subscriptionId: z.string(),
      name: z.string(),
      location: z.string(),
      tags: z.record(z.string(), z.string()),
    }),
  ),
  resources: z.array(
    z.looseObject({
      id: z.string(),
      subscriptionId: z.string(),
      resourceGroup: z.string(),
      type: z.string(),
      name: z.string(),
      properties: z.record(z.string(), z.unknown()),
    }),
  ),
  roleAssignments: z.array(
    z.looseObject({
      name: z.string(),
      principalId: z.string(),
      roleDefinitionId: z.string(),
      scope: z.string(),
    }),
  ),
  namespaces: z.record(z.string(), z.unknown()),
  currentVm: z.string().nullable().optional(),
};

/** The stored world as a snapshot, checked enough that a wrongly shaped file is named rather than crashing later. */
function snapshotOf(stored: StoredWorld, statePath: string): WorldSnapshot {
  const checked = z.object(recordsSchema).safeParse({
    groups: stored.groups,
    resources: stored.resources,
    roleAssignments: stored.roleAssignments,
    namespaces: stored.namespaces ?? {},
    currentVm: stored.currentVm,
  });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw notShapedLikeAWorld(statePath, issue?.path.join(".") || "(top)", issue?.message ?? "invalid");
  }
  return {
    format: "msi-emulator-state",
    version: 1,
    savedAt: new Date().toISOString(),
    scenario: parseScenario(stored.scenario, `scenario inside state file ${statePath}`),
    resourceGroups: checked.data.groups as unknown as WorldSnapshot["resourceGroups"],
    resources: checked.data.resources as unknown as WorldSnapshot["resources"],
    roleAssignments: checked.data.roleAssignments as unknown as WorldSnapshot["roleAssignments"],
    namespaces: checked.data.namespaces,
    ...(checked.data.currentVm !== undefined ? { currentVm: checked.data.currentVm } : {}),
  };
}

function notShapedLikeAWorld(statePath: string, where: string, problem: string): StateFileError {
  return new StateFileError(
    `State file ${statePath} is not shaped like an msi-emulator world: ${where}: ${problem}. It was left as it is; give --state a new file name.`,
  );
}
