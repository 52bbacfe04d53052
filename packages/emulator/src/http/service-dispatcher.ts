// What every emulated service (IMDS, ARM, Key Vault) looks like to the proxy, and the per-host
// dispatcher that picks one for each request, logs it, applies the latency fault and never lets an error escape.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FaultController } from "../faults/faults.ts";
import { clientOf, describeExchange } from "../log/request-details.ts";
import type { LoggedPrincipal, RequestLog } from "../log/request-log.ts";
import { RequestTrace, runTraced } from "../log/request-trace.ts";
import { type Reply, sendReply } from "./reply.ts";

export interface ServiceExchange {
  request: IncomingMessage;
  response: ServerResponse;
  /** The host the client asked for, lowercase, without port (management.azure.com, myvault.vault.azure.net, 169.254.169.254). */
  host: string;
  /** "https" when the request came through an intercepted TLS tunnel. */
  scheme: "http" | "https";
  /** Path and query, origin-form, as the client sent it. */
  target: string;
}

/** What a service reports about an answered request, for the request log. */
export interface HandledRequest {
  status: number;
  principal?: LoggedPrincipal;
  error?: string;
  requestId?: string;
}

/**
 * The request's URL. Concatenated, not resolved: a target starting with "//" must stay a path, not become a host. A
 * Host header that is no valid host name (services read only path and query) gives a placeholder host, not a crash.
 */
export function requestUrl(exchange: ServiceExchange): URL {
  const target = exchange.target;
  const path = `${target.startsWith("/") ? "" : "/"}${target}`;
  try {
    return new URL(`${exchange.scheme}://${exchange.host}${path}`);
  } catch {
    return new URL(`${exchange.scheme}://host.invalid${path}`);
  }
}

export interface EmulatedService {
  /** Short name for the request log: "imds", "arm", "keyvault". */
  readonly name: string;
  /**
   * Whether this service answers for `hostname` over `scheme`. The proxy asks this before accepting a CONNECT, so a
   * Key Vault module answers true only for vaults that exist: any other name then fails like an unresolvable host.
   */
  servesHost(hostname: string, scheme: "http" | "https"): boolean;
  handle(exchange: ServiceExchange): Promise<HandledRequest>;
}

export class ServiceDispatcher {
  readonly #services: EmulatedService[];
  readonly #log: RequestLog;
  readonly #faults: FaultController;

  constructor(services: EmulatedService[], log: RequestLog, faults: FaultController) {
    this.#services = services;
    this.#log = log;
    this.#faults = faults;
  }

  find(hostname: string, scheme: "http" | "https"): EmulatedService | undefined {
    const host = hostname.toLowerCase();
    return this.#services.find((s) => s.servesHost(host, scheme));
  }

  /** Serves one request with `service`, or answers `fallback` when no service was found. */
  async dispatch(
    exchange: ServiceExchange,
    service: EmulatedService | undefined,
    fallback: () => Reply,
  ): Promise<void> {
    const started = performance.now();
    const trace = new RequestTrace();
    let outcome: HandledRequest;
    try {
      if (!service) {
        const reply = fallback();
        sendReply(exchange.response, reply, exchange.request.method);
        outcome = { status: reply.status, error: errorCodeOf(reply.body) };
      } else {
        const latency = this.#faults.latencyMs;
        if (latency > 0) await new Promise((resolve) => setTimeout(resolve, latency));
        outcome = await runTraced(trace, () => service.handle(exchange));
      }
    } catch (error) {
      // A bug must not take the emulator down or answer with HTML: report it in Azure's error shape.
      const message = `msi-emulator internal error: ${(error as Error).message}`;
      sendReply(
        exchange.response,
        { status: 500, body: { error: { code: "InternalServerError", message } } },
        exchange.request.method,
      );
      outcome = { status: 500, error: "InternalServerError" };
    }
    const client = clientOf(exchange.request.headers["user-agent"]);
    this.#log.add({
      time: new Date().toISOString(),
      service: service?.name ?? "proxy",
      method: exchange.request.method ?? "GET",
      host: exchange.host,
      path: exchange.target,
      status: outcome.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ...(outcome.principal ? { principal: outcome.principal } : {}),
      ...(outcome.error ? { error: outcome.error } : {}),
      ...(outcome.requestId ? { requestId: outcome.requestId } : {}),
      ...(client ? { client } : {}),
      details: describeExchange(exchange.request, exchange.response, trace),
    });
  }
}

function errorCodeOf(body: unknown): string | undefined {
  const error = (body as { error?: { code?: string } | string } | undefined)?.error;
  return typeof error === "string" ? error : error?.code;
}
