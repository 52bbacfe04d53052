// End-to-end harness for the samples' tests: runs a sample as a child process against an emulator, hands back its
// output with the requests the emulator saw during that run, and checks on every run that no token was printed.
import { readFileSync } from "node:fs";
import path from "node:path";
import {
  type Emulator,
  type RequestLogEntry,
  type ScenarioInput,
  type StartEmulatorOptions,
  startEmulator,
} from "@msi-samples/emulator";
import { afterAll, afterEach, beforeAll, expect, onTestFinished, type TestContext } from "vitest";
import { type RequestTally, tallyRequests, tokenRequests } from "../request-tally.ts";
import {
  REPO_ROOT,
  type RunSampleOptions,
  runSample,
  type SampleName,
  type SampleRun,
} from "../run-sample.ts";

export interface SampleTestRun extends SampleRun {
  /** What the emulator answered between the start and the end of this run. */
  requests: RequestLogEntry[];
  tally: RequestTally;
}

/** An access token as the emulator (and Entra ID) issues them: a JWT, header `{"alg":...` base64url-encoded. */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/;

/** The run's command line, exit and output, for assertion messages. */
export function describeRun(run: SampleRun): string {
  const exit = run.timedOut ? "timed out" : run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  return [
    `node src/index.ts ${run.args.join(" ")} (samples/${run.sample}): ${exit}`,
    `--- stdout\n${run.stdout}--- stderr\n${run.stderr}---`,
  ].join("\n");
}

/**
 * A function that runs `sample` with flags against `emulator`. Runs of one file must not overlap (vitest runs a
 * file's tests one after another), so that each run's request log is its own.
 */
export function sampleRunner(
  sample: SampleName,
  emulator: Emulator,
): (args?: readonly string[], options?: RunSampleOptions) => Promise<SampleTestRun> {
  return async (args = [], options = {}) => {
    const since = emulator.requests().at(-1)?.seq ?? 0;
    // Stopped before vitest's own 60 s test timeout, so that a hung run still reports its output.
    const run = await runSample(sample, args, emulator, { timeoutMs: 45_000, ...options });
    const requests = emulator.requests().filter((entry) => entry.seq > since);
    expect(run.timedOut, describeRun(run)).toBe(false);
    expect(`${run.stdout}\n${run.stderr}`, "an access token was printed").not.toMatch(JWT_PATTERN);
    return { ...run, requests, tally: tallyRequests(requests) };
  };
}

/** shared/scenarios/missing-role.json: the VM's identities lack the roles the samples need. */
export const MISSING_ROLE_SCENARIO = "shared/scenarios/missing-role.json";

/** A sample and the emulator it runs against, for the tests of one describe block. */
export interface SampleAgainstEmulator {
  readonly emulator: Emulator;
  /** The VM's identities in the emulator's scenario (identitiesOf). */
  readonly identities: VmIdentities;
  /** Runs the sample with these flags (see sampleRunner). */
  run(args?: readonly string[], options?: RunSampleOptions): Promise<SampleTestRun>;
}

/**
 * Starts an emulator before the tests of the enclosing describe block and stops it after them, and clears the faults
 * a test set when it ends. Call it in the describe block; read `emulator` and call `run` inside the tests.
 */
export function sampleAgainstEmulator(
  sample: SampleName,
  options: StartEmulatorOptions = {},
): SampleAgainstEmulator {
  let started: { emulator: Emulator; run: ReturnType<typeof sampleRunner> } | undefined;
  beforeAll(async () => {
    const emulator = await startEmulator(options);
    started = { emulator, run: sampleRunner(sample, emulator) };
  });
  afterEach(() => started?.emulator.setFaults({}));
  afterAll(() => started?.emulator.stop());
  const current = () => {
    if (!started) throw new Error(`The emulator for ${sample} is not started yet: use it inside a test.`);
    return started;
  };
  return {
    get emulator() {
      return current().emulator;
    },
    get identities() {
      return identitiesOf(current().emulator);
    },
    run: (args, runOptions) => current().run(args, runOptions),
  };
}

/**
 * A sample and an emulator of its own for one test, stopped when the test ends: for the tests that mostly wait (retry
 * back-offs, Retry-After, deadlines), so that they wait at the same time (`describe.concurrent`) without sharing
 * faults or a request log. `context` is the test's own (`it("...", async (context) => ...)`).
 */
export async function sampleWithOwnEmulator(
  sample: SampleName,
  context: Pick<TestContext, "onTestFinished">,
  options: StartEmulatorOptions = {},
): Promise<SampleAgainstEmulator> {
  const emulator = await startEmulator(options);
  context.onTestFinished(() => emulator.stop());
  return { emulator, identities: identitiesOf(emulator), run: sampleRunner(sample, emulator) };
}

/** Statuses of the run's token requests to IMDS, retries included, in order. */
export function tokenRequestStatuses(run: SampleTestRun): number[] {
  return tokenRequests(run.requests).map((entry) => entry.status);
}

/** `--subscription-id`, `--resource-group` and `--location` of the scenario's VM, so that no instance metadata is read. */
export function vmSettingFlags(emulator: Emulator, { location }: { location?: string } = {}): string[] {
  const { vm } = emulator.scenario;
  return [
    "--subscription-id",
    vm.subscriptionId,
    "--resource-group",
    vm.resourceGroup,
    "--location",
    location ?? vm.location,
  ];
}

/** The resource groups of a subscription in the emulator's world (default: the VM's), as name and location, by name. */
export function resourceGroupsInWorld(
  emulator: Emulator,
  subscriptionId = emulator.scenario.vm.subscriptionId,
): { name: string; location: string }[] {
  return sortedByName(
    emulator.world.listResourceGroups(subscriptionId).map((g) => ({ name: g.name, location: g.location })),
  );
}

/** A copy sorted by `name`, to compare lists whose order the service does not promise. */
export function sortedByName<T extends { name?: string | undefined }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
}

/**
 * Exit 2, a message that names the setting (and every other text in `mentions`, such as the bad value), and not a
 * single request to IMDS, ARM or Key Vault.
 */
export function expectRejectedBeforeAnyRequest(run: SampleTestRun, ...mentions: string[]): void {
  expect(run.status, describeRun(run)).toBe(2);
  for (const text of mentions) expect(run.stderr, describeRun(run)).toContain(text);
  expect(
    run.requests.map((e) => `${e.service} ${e.method} ${e.path}`),
    "requests sent before the input was checked",
  ).toEqual([]);
}

/** Exit 1 with the `az role assignment create` command that grants `role` to `objectId`. */
export function expectRoleAssignmentHint(
  run: SampleTestRun,
  { objectId, role, scope }: { objectId: string; role: string; scope?: string | RegExp },
): void {
  expect(run.status, describeRun(run)).toBe(1);
  expect(run.stderr, describeRun(run)).toContain(
    `az role assignment create --assignee-object-id ${objectId} --assignee-principal-type ServicePrincipal --role "${role}"`,
  );
  if (scope !== undefined) {
    const scopePattern = typeof scope === "string" ? escapeRegExp(scope) : scope.source;
    const flags = typeof scope === "string" ? "" : scope.flags;
    expect(run.stderr).toMatch(new RegExp(`--scope "${scopePattern}"`, flags));
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The system-assigned identity and the (first) user-assigned identity of the VM. */
export interface VmIdentities {
  system: { principalId: string; clientId: string };
  user: { name: string; principalId: string; clientId: string; resourceId: string };
}

/** The VM's identities in the emulator's scenario, by role in the tests. */
export function identitiesOf(emulator: Emulator): VmIdentities {
  const system = emulator.world.identities.find((i) => i.kind === "system");
  const user = emulator.world.identities.find((i) => i.kind === "user");
  if (!system || !user) throw new Error("The scenario needs a system- and a user-assigned identity.");
  return { system, user };
}

/**
 * IMDS answers 410 Gone (as in the first seconds after a VM starts) from now until `forMs` after it first did:
 * anchored to the first 410 rather than to the clock, so a slow process start cannot let the window pass unseen.
 * Call inside a test; the window ends with the test at the latest (a concurrent test passes its context's
 * `onTestFinished`: vitest's own cannot tell concurrent tests apart).
 */
export function imdsGoneBriefly(
  emulator: Emulator,
  { forMs, context = { onTestFinished } }: { forMs: number; context?: Pick<TestContext, "onTestFinished"> },
): void {
  let timer: NodeJS.Timeout | undefined;
  emulator.setFaults({ imdsGoneForSeconds: 600 });
  const unsubscribe = emulator.onRequest((entry) => {
    if (entry.service !== "imds" || entry.status !== 410) return;
    unsubscribe();
    timer = setTimeout(() => emulator.setFaults({}), forMs);
  });
  context.onTestFinished(() => {
    unsubscribe();
    clearTimeout(timer);
    emulator.setFaults({});
  });
}

/** shared/scenarios/default.json, changed by `change` (an inline scenario for one test file). */
export function defaultScenarioWith(change: (scenario: DefaultScenario) => void): ScenarioInput {
  const scenario = JSON.parse(
    readFileSync(path.join(REPO_ROOT, "shared/scenarios/default.json"), "utf8"),
  ) as DefaultScenario;
  change(scenario);
  return scenario as unknown as ScenarioInput;
}

/** The parts of the default scenario file that tests change. */
export interface DefaultScenario {
  roleAssignments: { principal: string; role: string; scope: string; description?: string }[];
  subscriptions: { id: string; displayName: string }[];
  [field: string]: unknown;
}
