// The identity package's script runner, pointed at this package's test/fixtures.
import {
  fixturePath as identityFixturePath,
  runScript as runIdentityScript,
  type ScriptOptions,
  type ScriptRun,
} from "@msi-samples/identity/test/child-process";

const fixtures = new URL("../fixtures/", import.meta.url);

export const fixturePath = (name: string): string => identityFixturePath(name, fixtures);

export function runScript(name: string, options: ScriptOptions = {}): Promise<ScriptRun> {
  return runIdentityScript(name, { fixtures, ...options });
}
