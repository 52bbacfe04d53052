// What the proxy checks about a request before any service sees it: an absolute-form target that parses as a URL, a
// Host header where HTTP/1.1 requires one, and (against DNS rebinding) a Host on the origin-form IMDS path that names
// IMDS or this loopback proxy, never a web site's name.
import type { IncomingMessage } from "node:http";
import { type ProxyRefusal, proxyErrors } from "./proxy-errors.ts";

/** Host names a program on this machine reaches the origin-form IMDS path by. */
const LOCAL_IMDS_HOSTS = new Set(["169.254.169.254", "127.0.0.1", "localhost", "::1"]);

/** The URL of an absolute-form target (`GET http://host/path`), or undefined when it is not one that parses. */
export function absoluteTargetOf(raw: string): URL | undefined {
  if (!/^https?:\/\//i.test(raw)) return undefined;
  try {
    const url = new URL(raw);
    return url.hostname ? url : undefined;
  } catch {
    return undefined;
  }
}

/** The refusal for a request the proxy cannot serve as sent, or undefined when it may go on. */
export function requestRefusal(request: IncomingMessage): ProxyRefusal | undefined {
  const raw = request.url ?? "/";
  if (/^https?:\/\//i.test(raw)) return absoluteTargetOf(raw) ? undefined : proxyErrors.badTarget(raw);
  // RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host.
  if (request.httpVersion === "1.1" && request.headers.host === undefined) return proxyErrors.missingHost();
  return undefined;
}

/** The host part of a Host header, lowercase, without port or IPv6 brackets. */
export function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return header
    .replace(/:\d+$/, "")
    .replace(/^\[|\]$/g, "")
    .toLowerCase();
}

/** Whether an origin-form IMDS request names a host a local program would use (not a rebinding attacker's). */
export function isLocalImdsHost(host: string | undefined): boolean {
  return host === undefined || LOCAL_IMDS_HOSTS.has(host);
}
