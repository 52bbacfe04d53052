// What the ARM and Key Vault front doors do alike around their own checks: read the body within the size limit (the
// rest of an oversized one is read and dropped, so the client sees the 413), name the caller in the request log, answer the service's own errors with its error
// body, put the service's headers on every answer, and report the status and error code to the log.
import type { LoggedPrincipal } from "../log/request-log.ts";
import type { WorldState } from "../state/world-state.ts";
import { type Reply, sendReply } from "./reply.ts";
import { BodyTooLargeError, readRequestBody } from "./request-body.ts";
import type { HandledRequest, ServiceExchange } from "./service-dispatcher.ts";

/** An error a service throws to answer with (ArmError, KeyVaultError). */
export interface ServiceErrorType {
  // biome-ignore lint/suspicious/noExplicitAny: any constructor signature; only `instanceof` is used.
  new (...args: any[]): { toReply(): Reply };
}

export interface FrontDoorRequest {
  /** The body, read within the size limit; throws the service's 413 when it is larger. */
  readBody(): Promise<Buffer>;
  /** Names the authenticated caller in the request log (with the identity's name when it is one of the VM's). */
  identify(caller: { objectId: string; clientId: string }): void;
}

export async function serveThroughFrontDoor(
  exchange: ServiceExchange,
  door: {
    world: WorldState;
    requestId: string;
    /** Headers of every answer; the reply's own win. */
    headers: Record<string, string>;
    errorType: ServiceErrorType;
    requestTooLarge(limitBytes: number): Error;
    /** The service's own checks and routing; throws `errorType` to answer with an error. */
    serve(request: FrontDoorRequest): Promise<Reply>;
  },
): Promise<HandledRequest> {
  const method = (exchange.request.method ?? "GET").toUpperCase();
  const seen: { principal?: LoggedPrincipal } = {};
  let reply: Reply;
  try {
    reply = await door.serve({
      async readBody() {
        try {
          return await readRequestBody(exchange.request);
        } catch (error) {
          if (!(error instanceof BodyTooLargeError)) throw error;
          throw door.requestTooLarge(error.limitBytes);
        }
      },
      identify(caller) {
        const identity = door.world.identityByPrincipalId(caller.objectId);
        seen.principal = {
          objectId: caller.objectId,
          clientId: caller.clientId,
          ...(identity ? { identity: identity.name } : {}),
        };
      },
    });
  } catch (error) {
    if (!(error instanceof door.errorType)) throw error;
    reply = error.toReply();
  }

  const headers = { ...door.headers, ...reply.headers };
  sendReply(exchange.response, { ...reply, headers }, method);
  const code = (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
  return {
    status: reply.status,
    requestId: door.requestId,
    ...(seen.principal ? { principal: seen.principal } : {}),
    ...(code ? { error: code } : {}),
  };
}

/** The first value of a request header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
