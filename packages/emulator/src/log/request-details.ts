// What the request log keeps about one request beyond its summary line, for the dashboard's detail view: the decoded
// token the caller presented (header and claims only: never the signature, never the token itself), the Key Vault
// challenge it was answered with, and the RBAC checks made while serving it.
import type { IncomingMessage, ServerResponse } from "node:http";
import { decodeJwt, decodeProtectedHeader } from "jose";
import type { RbacCheck, RequestTrace } from "./request-trace.ts";

export interface RequestDetails {
  userAgent?: string;
  /** The bearer token's JOSE header and claims, decoded; absent when the request carried none or it was no JWT. */
  token?: { header: Record<string, unknown>; claims: Record<string, unknown> };
  /** The claims of the token IMDS issued in answer (never the token). */
  issuedClaims?: Record<string, unknown>;
  /** The WWW-Authenticate challenge of a 401 (Key Vault's first answer to the SDK). */
  challenge?: string;
  rbacChecks: RbacCheck[];
}

/** "azsdk-js-arm-resources/8.0.0 core-rest-pipeline/..." -> "azsdk-js-arm-resources/8.0.0": the program's own name. */
export function clientOf(userAgent: string | undefined): string | undefined {
  return userAgent?.trim().split(/\s+/)[0] || undefined;
}

function decodedToken(authorization: string | undefined): RequestDetails["token"] {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
  if (!token) return undefined;
  try {
    return {
      header: decodeProtectedHeader(token) as Record<string, unknown>,
      claims: decodeJwt(token) as Record<string, unknown>,
    };
  } catch {
    return undefined;
  }
}

export function describeExchange(
  request: IncomingMessage,
  response: ServerResponse,
  trace: RequestTrace,
): RequestDetails {
  const userAgent = request.headers["user-agent"];
  const token = decodedToken(request.headers.authorization);
  const challenge = response.statusCode === 401 ? response.getHeader("www-authenticate") : undefined;
  return {
    ...(userAgent ? { userAgent } : {}),
    ...(token ? { token } : {}),
    ...(typeof challenge === "string" ? { challenge } : {}),
    ...(trace.issuedClaims ? { issuedClaims: trace.issuedClaims } : {}),
    rbacChecks: trace.rbacChecks,
  };
}
