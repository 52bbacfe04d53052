// startEmulator: wires CA, tokens, world state, services, the intercepting proxy and the admin endpoint into one
// running emulator, and returns the environment that points an unmodified Azure program at it.
import { randomBytes } from "node:crypto";
import { startAdminServer } from "./admin/admin-server.ts";
import { createArmService } from "./arm/arm-service.ts";
import { LongRunningOperations } from "./arm/long-running-operations.ts";
import { DEFAULT_PAGE_SIZE } from "./arm/paging.ts";
import { ARM_PROVIDERS } from "./arm/providers.ts";
import { RbacEvaluator } from "./auth/rbac.ts";
import { TokenService } from "./auth/tokens.ts";
import { buildEnvironment, CONFLICTING_ENV, writeCaBundle } from "./clients/client-environment.ts";
import { FaultController, type FaultsInput, faultsSchema } from "./faults/faults.ts";
import { claimHome, removeRuntimeInfo, resolveHome, writeRuntimeInfo } from "./files/emulator-home.ts";
import { ServiceDispatcher } from "./http/service-dispatcher.ts";
import { VIRTUAL_MACHINE_ID } from "./identifiers.ts";
import { createImdsService } from "./imds/imds-service.ts";
import { createKeyVaultService } from "./keyvault/keyvault-service.ts";
import { KEY_VAULT_NAMESPACES } from "./keyvault/keyvault-store.ts";
import { RequestLog, type RequestLogEntry } from "./log/request-log.ts";
import { sharedPath } from "./shared-files.ts";
import {
  loadScenarioFile,
  parseScenario,
  type Scenario,
  ScenarioError,
  type ScenarioInput,
} from "./state/scenario-schema.ts";
import { openWorld } from "./state/state-file.ts";
import type { WorldState } from "./state/world-state.ts";
import { loadOrCreateCertificateAuthority } from "./tls/certificate-authority.ts";
import type { ForeignHostPolicy } from "./tls/connect-passthrough.ts";
import { startInterceptingProxy } from "./tls/intercepting-proxy.ts";
import { createLeafCertificates } from "./tls/leaf-certificates.ts";
import type { ConnectionTimeouts } from "./tls/proxy-safety.ts";

/** shared/scenarios/default.json (in this repository, or in the installed package). */
export const DEFAULT_SCENARIO_PATH = sharedPath("scenarios/default.json");

export interface StartEmulatorOptions {
  /** A scenario file path or a scenario object; default shared/scenarios/default.json. Ignored when `statePath` exists. */
  scenario?: string | ScenarioInput;
  /** Persist the world here (atomic writes); if the file exists, the world is loaded from it. */
  statePath?: string;
  /** Proxy port; 0 or absent picks a free one. Always bound to 127.0.0.1. */
  port?: number;
  /** Admin endpoint port; 0 or absent picks a free one. */
  adminPort?: number;
  /** Serve the workshop dashboard at the admin endpoint's `/` (the CLI's `start` does; default off). */
  dashboard?: boolean;
  /** State folder for the CA and signing key; default MSI_EMULATOR_HOME or ~/.msi-emulator. */
  home?: string;
  /**
   * Overrides the scenario's `currentVm` (and the state file's): a VM resource IMDS answers as whenever it exists,
   * which may be one a deployment creates later.
   */
  currentVm?: string;
  /** Overrides the scenario's `latency`: "instant" LROs (tests) or "realistic" (demos). */
  latency?: "instant" | "realistic";
  /** Overrides the scenario's `faults`. */
  faults?: FaultsInput;
  /** Overrides the scenario's token lifetime (seconds). */
  tokenLifetimeSeconds?: number;
  /** Default page size of ARM list operations (100); small values exercise nextLink paging. */
  pageSize?: number;
  /** Time limits on proxy connections, plain and inside TLS tunnels (default: Node's, plus a 120 s idle limit). */
  connectionTimeouts?: ConnectionTimeouts;
  /**
   * CONNECT to a host no service emulates: "refuse" every one (default: a test never leaves the machine), or "tunnel"
   * those that are not Azure's straight through, untouched (the CLI's default, so a shell under `env` keeps working).
   */
  foreignHosts?: ForeignHostPolicy;
  /**
   * Record this instance in `<home>/runtime.json` for `emulator env`, `log` and `vm` (the CLI's `start` does). Rejects
   * with EmulatorAlreadyRunningError, before doing anything, while another emulator recorded there still runs.
   */
  writeRuntimeFile?: boolean;
}

export interface Emulator {
  /** The variables to run a program with: proxies, NO_PROXY, NODE_EXTRA_CA_CERTS, REQUESTS_CA_BUNDLE, SSL_CERT_FILE. */
  env: Record<string, string>;
  /** Variables to remove from a program's environment (they would send managed identity elsewhere). */
  unsetEnv: readonly string[];
  port: number;
  proxyUrl: string;
  adminUrl: string;
  /** This run's admin token: changes through the admin endpoint carry it in the x-msi-emulator-token header. */
  adminToken: string;
  /** The dashboard page, when `dashboard` was asked for. */
  dashboardUrl: string | undefined;
  caCertPath: string;
  caBundlePath: string;
  home: string;
  statePath: string | undefined;
  /** The live world (read it in tests; change it only through the emulated APIs). */
  world: WorldState;
  scenario: Scenario;
  /** Every request answered so far, oldest first (tokens and secrets redacted). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Called for every request as it is logged; returns a function that unsubscribes. */
  onRequest(listener: (entry: RequestLogEntry) => void): () => void;
  /**
   * Makes IMDS answer as the VM resource `resourceId` from now on (as PUT /vm on the admin endpoint does): its
   * instance metadata, and tokens for its system-assigned and user-assigned identities. It must exist (e.g. created
   * by a deployment); `undefined` goes back to the scenario's VM. Saved with `--state`.
   */
  useVirtualMachine(resourceId: string | undefined): Promise<void>;
  /** Replaces the active faults (as PUT /faults on the admin endpoint does). */
  setFaults(faults: FaultsInput): void;
  /**
   * Issues a token as IMDS would, for tests that need one the SDK would not fetch (e.g. already expired):
   * `identity` is "system" (default), a user-assigned identity's name, or a client ID, of the current VM.
   */
  issueToken(options: { resource: string; identity?: string; lifetimeSeconds?: number }): Promise<string>;
  stop(): Promise<void>;
}

/** Every service's typed state (IMDS keeps none). */
const STORED_NAMESPACES = [
  ...ARM_PROVIDERS.flatMap((provider) => provider.namespaces ?? []),
  ...KEY_VAULT_NAMESPACES,
];

export function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const home = resolveHome(options.home);
  // What `env`, `log` and `vm` find in the home must stay the emulator that runs: one recorded emulator per home.
  return options.writeRuntimeFile ? claimHome(home, () => launch(home, options)) : launch(home, options);
}

async function launch(home: string, options: StartEmulatorOptions): Promise<Emulator> {
  const scenario =
    typeof options.scenario === "object"
      ? parseScenario(options.scenario)
      : await loadScenarioFile(options.scenario ?? DEFAULT_SCENARIO_PATH);
  const world = await openWorld(scenario, options.statePath, STORED_NAMESPACES);
  try {
    return await serveWorld(home, options, world);
  } catch (error) {
    // A failed start must not keep the state file locked.
    world.closeStore();
    throw error;
  }
}

async function serveWorld(home: string, options: StartEmulatorOptions, world: WorldState): Promise<Emulator> {
  if (options.currentVm !== undefined) {
    if (!VIRTUAL_MACHINE_ID.test(options.currentVm))
      throw new ScenarioError(
        `currentVm: '${options.currentVm}' is not a VM's resource ID (/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{name})`,
      );
    world.useVirtualMachine(options.currentVm);
    await world.commit();
  }
  const activeScenario = world.scenario;

  const ca = await loadOrCreateCertificateAuthority(home);
  const caBundlePath = await writeCaBundle(home, ca.certPem);
  const tokens = await TokenService.fromHome(home);
  const log = new RequestLog();
  const faults = new FaultController(faultsSchema.parse(options.faults ?? activeScenario.faults));
  const initialLatency = options.latency ?? activeScenario.latency;
  // The dashboard can switch it while the emulator runs.
  let latency = initialLatency;
  const rbac = new RbacEvaluator(() => world.roleAssignments);
  const operations = new LongRunningOperations(() => latency);
  const tokenLifetimeSeconds = () => options.tokenLifetimeSeconds ?? activeScenario.tokens.lifetimeSeconds;
  // One service per imitated Azure endpoint. Key Vault's servesHost(h) is true for "<vault>.vault.azure.net" only while
  // that vault exists in the world (then CONNECT succeeds).
  const services = [
    createImdsService({ world: () => world, tokens, faults, tokenLifetimeSeconds }),
    createArmService({
      world,
      tokens,
      rbac,
      faults,
      operations,
      providers: ARM_PROVIDERS,
      latency: () => latency,
      pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE,
    }),
    createKeyVaultService({ world, tokens, rbac }),
  ];
  const dispatcher = new ServiceDispatcher(services, log, faults);

  const proxy = await startInterceptingProxy({
    port: options.port ?? 0,
    dispatcher,
    certificates: createLeafCertificates(ca),
    log,
    ...(options.connectionTimeouts ? { timeouts: options.connectionTimeouts } : {}),
    foreignHosts: options.foreignHosts ?? "refuse",
  });
  const proxyUrl = `http://127.0.0.1:${proxy.port}`;
  const env = buildEnvironment({ proxyUrl, caCertPath: ca.certPath, caBundlePath });
  const startedAt = new Date().toISOString();
  const adminToken = randomBytes(32).toString("base64url");
  const admin = await startAdminServer({
    port: options.adminPort ?? 0,
    log,
    faults,
    world,
    token: adminToken,
    dashboard: options.dashboard ?? false,
    latency: {
      get: () => latency,
      set: (mode) => {
        latency = mode;
      },
    },
    initial: { faults: faultsSchema.parse(options.faults ?? activeScenario.faults), latency: initialLatency },
    info: () => ({ pid: process.pid, startedAt, proxyUrl, caCertPath: ca.certPath, env }),
  }).catch(async (error: unknown) => {
    await proxy.close();
    throw error;
  });

  if (options.writeRuntimeFile) {
    await writeRuntimeInfo(home, {
      pid: process.pid,
      startedAt,
      proxyPort: proxy.port,
      proxyUrl,
      adminUrl: admin.url,
      adminToken,
      ...(admin.dashboardUrl ? { dashboardUrl: admin.dashboardUrl } : {}),
      caCertPath: ca.certPath,
      caBundlePath,
      ...(options.statePath ? { statePath: options.statePath } : {}),
      ...(typeof options.scenario === "string" ? { scenario: options.scenario } : {}),
      env,
      unsetEnv: [...CONFLICTING_ENV],
    });
  }

  let stopped: Promise<void> | undefined;
  return {
    env,
    unsetEnv: CONFLICTING_ENV,
    port: proxy.port,
    proxyUrl,
    adminUrl: admin.url,
    adminToken,
    dashboardUrl: admin.dashboardUrl,
    caCertPath: ca.certPath,
    caBundlePath,
    home,
    statePath: options.statePath,
    world,
    scenario: activeScenario,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    onRequest: (listener) => log.onEntry(listener),
    async useVirtualMachine(resourceId) {
      world.useVirtualMachine(resourceId, { requireExisting: true });
      await world.commit();
    },
    setFaults: (input) => faults.set(faultsSchema.parse(input)),
    async issueToken({ resource, identity = "system", lifetimeSeconds }) {
      const wanted = identity.toLowerCase();
      const found = world.identities.find(
        (i) => i.name.toLowerCase() === wanted || i.clientId.toLowerCase() === wanted,
      );
      if (!found) throw new Error(`The VM has no identity '${identity}'`);
      const issued = await tokens.issue({
        identity: found,
        tenantId: world.tenantId,
        resource,
        lifetimeSeconds: lifetimeSeconds ?? tokenLifetimeSeconds(),
        vmResourceId: world.vmResourceId,
      });
      return issued.accessToken;
    },
    stop() {
      stopped ??= (async () => {
        operations.close();
        await Promise.all([proxy.close(), admin.close()]);
        world.closeStore();
        if (options.writeRuntimeFile) await removeRuntimeInfo(home, process.pid);
      })();
      return stopped;
    },
  };
}
