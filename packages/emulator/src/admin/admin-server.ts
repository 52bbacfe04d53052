// The admin endpoint, on its own loopback-only port (never reachable through the proxy): the request log (also live,
// as server-sent events, and explained one request at a time), faults on and off, latency mode, the VM IMDS answers as,
// role grants, reset to the scenario, the world state (secret values redacted unless one is asked for with the token),
// health and the environment; and the dashboard page that uses all of these. admin-guard.ts says who may call.
import { EventEmitter } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import FindMyWay from "find-my-way";
import { z } from "zod";
import { type FaultController, type Faults, faultsSchema } from "../faults/faults.ts";
import { type Reply, sendReply } from "../http/reply.ts";
import { BodyTooLargeError, readRequestBody } from "../http/request-body.ts";
import { VIRTUAL_MACHINE_ID } from "../identifiers.ts";
import { secretsOf } from "../keyvault/keyvault-store.ts";
import { listVaults } from "../keyvault/vaults.ts";
import type { RequestLog } from "../log/request-log.ts";
import { VirtualMachineNotFoundError } from "../state/current-vm.ts";
import type { WorldSnapshot, WorldState } from "../state/world-state.ts";
import { refuseAdminRequest } from "./admin-guard.ts";
import { dashboardFile } from "./dashboard-files.ts";
import { streamRequestEvents } from "./request-events.ts";
import { explainRequest } from "./request-explanation.ts";
import { grantRole, grantSchema, revokeRole } from "./role-grants.ts";
import { resetWorldToScenario } from "./scenario-reset.ts";
import { worldOverview } from "./world-overview.ts";

export interface AdminServer {
  port: number;
  url: string;
  /** The page, when the dashboard is on (`${url}/`). */
  dashboardUrl: string | undefined;
  close(): Promise<void>;
}

type AdminHandler = (request: IncomingMessage, url: URL, body: Buffer) => Reply | Promise<Reply>;

/** Requests that read a secret value need the token too, though they change nothing. */
const TOKEN_READS = new Set(["/secret-value"]);

const latencySchema = z.object({ mode: z.enum(["instant", "realistic"]) }).strict();
const secretQuerySchema = z.object({ vault: z.string().min(1), name: z.string().min(1) });

/** GET /vm: the VM chosen (null: none) and the one IMDS answers as now, with its identities. */
function currentVmDescription(world: WorldState): Record<string, unknown> {
  return { chosen: world.currentVmChoice ?? null, current: world.currentVm };
}

/** The admin endpoint's own errors, in the same `{ error: { code, message } }` shape as the emulated services'. */
function adminError(code: string, message: string, status = 400): Reply {
  return { status, body: { error: { code, message } } };
}

function parseJson(body: Buffer): { json: unknown } | { error: Reply } {
  try {
    return { json: body.length ? JSON.parse(body.toString("utf8")) : {} };
  } catch (error) {
    return { error: adminError("InvalidRequestContent", (error as Error).message) };
  }
}

/** The body as `schema` describes it, or a 400 naming each wrong field. */
function parseBody<T extends z.ZodType>(
  schema: T,
  body: Buffer,
  code: string,
): { data: z.output<T> } | { error: Reply } {
  const read = parseJson(body);
  if ("error" in read) return read;
  const parsed = schema.safeParse(read.json);
  if (parsed.success) return { data: parsed.data };
  const message = parsed.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ");
  return { error: adminError(code, message) };
}

/** The world as the admin endpoint shows it: secret values never leave the emulator this way. */
function redactedSnapshot(world: WorldState): WorldSnapshot {
  const snapshot = world.snapshot();
  for (const vault of snapshot.scenario.keyVaults)
    for (const secret of vault.secrets) secret.value = "REDACTED";
  const redactDeep = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(redactDeep);
    if (value && typeof value === "object") {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          k === "value" && typeof v === "string" ? "REDACTED" : redactDeep(v),
        ]),
      );
    }
    return value;
  };
  snapshot.namespaces = redactDeep(snapshot.namespaces) as Record<string, unknown>;
  return snapshot;
}

export async function startAdminServer(options: {
  port: number;
  log: RequestLog;
  faults: FaultController;
  world: WorldState;
  info: () => Record<string, unknown>;
  /** This run's token: every change (and a secret value) must carry it in the x-msi-emulator-token header. */
  token: string;
  /** Serve the dashboard page at `/`. */
  dashboard: boolean;
  /** Long-running operations' pace, switchable from the dashboard. */
  latency: { get(): "instant" | "realistic"; set(mode: "instant" | "realistic"): void };
  /** The faults and latency the scenario (or startEmulator's options) began with: "reset to scenario" restores them. */
  initial: { faults: Faults; latency: "instant" | "realistic" };
}): Promise<AdminServer> {
  const router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
  const routes = new Map<string, AdminHandler>();
  // Changes made here (not through the emulated APIs, which the request log reports) tell the dashboard to reload.
  const worldEvents = new EventEmitter();
  const worldChanged = () => worldEvents.emit("change");
  const worldChanges = {
    onChange(listener: () => void) {
      worldEvents.on("change", listener);
      return () => worldEvents.off("change", listener);
    },
  };
  const on = (method: "GET" | "PUT" | "POST" | "DELETE", path: string, handler: AdminHandler) => {
    const key = `${method} ${path}`;
    routes.set(key, handler);
    router.on(method, path, () => key);
  };

  on("GET", "/health", () => ({ status: 200, body: { status: "ok", ...options.info() } }));
  // ?since=N: newer than N; ?before=N: older than N; ?tail=N: only the newest N of those (the dashboard shows the
  // latest first and loads the rest after, so a full log does not delay its first screen).
  on("GET", "/requests", (_request, url) => {
    const number = (name: string) => {
      const value = Number(url.searchParams.get(name) ?? Number.NaN);
      return Number.isInteger(value) && value >= 0 ? value : undefined;
    };
    const before = number("before");
    const tail = number("tail");
    let requests = options.log.list(number("since") ?? 0);
    if (before !== undefined) requests = requests.filter((e) => e.seq < before);
    if (tail !== undefined) requests = requests.slice(Math.max(0, requests.length - tail));
    return { status: 200, body: { requests } };
  });
  on("DELETE", "/requests", () => {
    options.log.clear();
    return { status: 204 };
  });
  on("GET", "/requests/:seq", (_request, url) => {
    const seq = Number(url.pathname.split("/").pop());
    const explained = Number.isInteger(seq) ? explainRequest(options.log, options.world, seq) : undefined;
    return explained
      ? { status: 200, body: explained }
      : adminError("NotFound", `The request log keeps no request ${seq} (it keeps the latest 10,000).`, 404);
  });
  on("GET", "/faults", () => ({ status: 200, body: options.faults.describe() }));
  on("PUT", "/faults", (_request, _url, body) => {
    const parsed = parseBody(faultsSchema, body, "InvalidFaults");
    if ("error" in parsed) return parsed.error;
    options.faults.set(parsed.data);
    worldChanged();
    return { status: 200, body: options.faults.describe() };
  });
  on("DELETE", "/faults", () => {
    options.faults.clear();
    worldChanged();
    return { status: 204 };
  });
  on("GET", "/latency", () => ({ status: 200, body: { mode: options.latency.get() } }));
  on("PUT", "/latency", (_request, _url, body) => {
    const parsed = parseBody(latencySchema, body, "InvalidLatency");
    if ("error" in parsed) return parsed.error;
    options.latency.set(parsed.data.mode);
    worldChanged();
    return { status: 200, body: { mode: options.latency.get() } };
  });
  on("GET", "/overview", async () => ({
    status: 200,
    body: await worldOverview(options.world, { faults: options.faults, latency: options.latency.get() }),
  }));
  on("POST", "/role-assignments", async (_request, _url, body) => {
    const parsed = parseBody(grantSchema, body, "InvalidRequestContent");
    if ("error" in parsed) return parsed.error;
    const reply = await grantRole(options.world, parsed.data);
    worldChanged();
    return reply;
  });
  on("DELETE", "/role-assignments/:name", async (_request, url) => {
    const reply = await revokeRole(options.world, decodeURIComponent(url.pathname.split("/").pop() ?? ""));
    worldChanged();
    return reply;
  });
  on("GET", "/secret-value", async (_request, url) => {
    const query = secretQuerySchema.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return adminError("InvalidRequestContent", "Give ?vault=NAME&name=SECRET.");
    const vault = listVaults(options.world).find(
      (v) => v.name.toLowerCase() === query.data.vault.toLowerCase(),
    );
    const read = vault ? secretsOf(options.world, vault) : undefined;
    if (read?.changed) await options.world.commit();
    const secret = read?.secrets.find(query.data.name);
    const latest = secret?.versions.at(-1);
    if (!latest)
      return adminError(
        "SecretNotFound",
        `No secret '${query.data.name}' in vault '${query.data.vault}'.`,
        404,
      );
    return {
      status: 200,
      headers: { "cache-control": "no-store" },
      body: { name: secret?.name, value: latest.value },
    };
  });
  on("POST", "/reset", async () => {
    await resetWorldToScenario(options.world);
    options.faults.set(options.initial.faults);
    options.latency.set(options.initial.latency);
    worldChanged();
    return { status: 200, body: currentVmDescription(options.world) };
  });
  on("GET", "/state", () => ({ status: 200, body: redactedSnapshot(options.world) }));
  on("GET", "/vm", () => ({ status: 200, body: currentVmDescription(options.world) }));
  on("PUT", "/vm", async (_request, _url, body) => {
    const read = parseJson(body);
    if ("error" in read) return read.error;
    const resourceId = (read.json as { resourceId?: unknown } | null)?.resourceId;
    if (typeof resourceId !== "string" || !VIRTUAL_MACHINE_ID.test(resourceId))
      return adminError(
        "InvalidRequestContent",
        'The body must be {"resourceId": "/subscriptions/{s}/resourceGroups/{g}/providers/Microsoft.Compute/virtualMachines/{name}"}.',
      );
    try {
      options.world.useVirtualMachine(resourceId, { requireExisting: true });
    } catch (error) {
      if (!(error instanceof VirtualMachineNotFoundError)) throw error;
      return adminError("VirtualMachineNotFound", error.message, 404);
    }
    await options.world.commit();
    worldChanged();
    return { status: 200, body: currentVmDescription(options.world) };
  });
  on("DELETE", "/vm", async () => {
    options.world.useVirtualMachine(undefined);
    await options.world.commit();
    worldChanged();
    return { status: 200, body: currentVmDescription(options.world) };
  });
  if (options.dashboard) {
    const page: AdminHandler = async (_request, url) =>
      (await dashboardFile(url.pathname.replace(/^\/(dashboard\/)?/, ""), options.token)) ??
      adminError("NotFound", `No dashboard file ${url.pathname}`, 404);
    on("GET", "/", page);
    on("GET", "/dashboard/:file", page);
  }

  const server = http.createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let reply: Reply;
    try {
      const method = request.method ?? "GET";
      const url = new URL(request.url ?? "/", "http://admin.local");
      const refused = refuseAdminRequest(request, {
        port,
        token: options.token,
        needsToken: (method !== "GET" && method !== "HEAD") || TOKEN_READS.has(url.pathname.toLowerCase()),
      });
      if (refused) {
        reply = refused;
      } else if (method === "GET" && url.pathname === "/events") {
        const since = Number(url.searchParams.get("since") ?? 0);
        streamRequestEvents(request, response, {
          log: options.log,
          since: Number.isFinite(since) ? since : 0,
          world: worldChanges,
        });
        return;
      } else {
        const match = router.find(method as "GET", url.pathname);
        const handler = match ? routes.get((match.handler as () => string)()) : undefined;
        if (!handler) {
          reply = adminError("NotFound", `No admin endpoint ${request.method} ${url.pathname}`, 404);
        } else {
          const body = await readRequestBody(request, 64 * 1024);
          reply = await handler(request, url, body);
        }
      }
    } catch (error) {
      reply =
        error instanceof BodyTooLargeError
          ? adminError("RequestEntityTooLarge", error.message, 413)
          : adminError("InternalServerError", (error as Error).message, 500);
    }
    sendReply(response, reply, request.method);
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  /** Known once listening: the Host check compares against it. */
  let port = 0;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    dashboardUrl: options.dashboard ? `http://127.0.0.1:${port}/` : undefined,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
