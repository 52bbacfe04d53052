// The admin endpoint, on its own loopback-only port (never reachable through the proxy): the request log, faults on
// and off, the VM IMDS answers as, the world state (secret values redacted), health and the environment.
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import FindMyWay from "find-my-way";
import { type FaultController, faultsSchema } from "../faults/faults.ts";
import { type Reply, sendReply } from "../http/reply.ts";
import { BodyTooLargeError, readRequestBody } from "../http/request-body.ts";
import { VIRTUAL_MACHINE_ID } from "../identifiers.ts";
import type { RequestLog } from "../log/request-log.ts";
import { VirtualMachineNotFoundError } from "../state/current-vm.ts";
import type { WorldSnapshot, WorldState } from "../state/world-state.ts";

export interface AdminServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

type AdminHandler = (request: IncomingMessage, url: URL, body: Buffer) => Reply | Promise<Reply>;

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
}): Promise<AdminServer> {
  const router = FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true });
  const routes = new Map<string, AdminHandler>();
  const on = (method: "GET" | "PUT" | "DELETE", path: string, handler: AdminHandler) => {
    const key = `${method} ${path}`;
    routes.set(key, handler);
    router.on(method, path, () => key);
  };

  on("GET", "/health", () => ({ status: 200, body: { status: "ok", ...options.info() } }));
  on("GET", "/requests", (_request, url) => ({
    status: 200,
    body: { requests: options.log.list(Number(url.searchParams.get("since") ?? 0)) },
  }));
  on("DELETE", "/requests", () => {
    options.log.clear();
    return { status: 204 };
  });
  on("GET", "/faults", () => ({ status: 200, body: options.faults.describe() }));
  on("PUT", "/faults", (_request, _url, body) => {
    const read = parseJson(body);
    if ("error" in read) return read.error;
    const parsed = faultsSchema.safeParse(read.json);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
        .join("; ");
      return adminError("InvalidFaults", message);
    }
    options.faults.set(parsed.data);
    return { status: 200, body: options.faults.describe() };
  });
  on("DELETE", "/faults", () => {
    options.faults.clear();
    return { status: 204 };
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
    return { status: 200, body: currentVmDescription(options.world) };
  });
  on("DELETE", "/vm", async () => {
    options.world.useVirtualMachine(undefined);
    await options.world.commit();
    return { status: 200, body: currentVmDescription(options.world) };
  });

  const server = http.createServer(async (request: IncomingMessage, response: ServerResponse) => {
    let reply: Reply;
    try {
      const remote = request.socket.remoteAddress ?? "";
      if (!/^(127\.|::1$|::ffff:127\.)/.test(remote)) {
        reply = adminError("Forbidden", "The admin endpoint answers loopback clients only.", 403);
      } else {
        const url = new URL(request.url ?? "/", "http://admin.local");
        const match = router.find((request.method ?? "GET") as "GET", url.pathname);
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

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
