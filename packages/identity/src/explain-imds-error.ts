// What went wrong talking to IMDS, and what to do: unreachable, no such identity, several identities.
import { errorFields, oneLine } from "./error-shapes.ts";
import { InstanceMetadataError } from "./errors.ts";
import { identitySelectorSettings } from "./identity-selection.ts";
import { defaultImdsEndpoint, imdsEndpoint, runLocallyHint } from "./imds-endpoint.ts";
import { type TokenRequestContext, tokenRequestContextOf } from "./token-request-context.ts";

const networkErrorReasons: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ETIMEDOUT: "timed out",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ECONNRESET: "connection reset",
};

/** An explanation when `error` is about IMDS, else undefined. */
export function explainImdsError(error: unknown): string | undefined {
  const fields = errorFields(error);
  if (!fields) return undefined;
  const context = tokenRequestContextOf(error);

  if (error instanceof InstanceMetadataError) {
    return error.code
      ? unreachable(error.endpoint, networkErrorReasons[error.code] ?? error.code)
      : error.message;
  }

  // How @azure/identity 4 reports IMDS failures: CredentialUnavailableError whose message embeds MSAL's
  // "<error>: Error(s): … - Description: <error_description> - Correlation ID: …", or "Network unreachable".
  if (
    fields.name === "CredentialUnavailableError" &&
    fields.message.startsWith("ManagedIdentityCredential")
  ) {
    const endpoint = context?.endpoint ?? imdsEndpoint(process.env);
    if (/Network unreachable|endpoint, but it is not available/i.test(fields.message)) {
      return unreachable(endpoint, "no connection");
    }
    return explainImdsAnswer(fields.message, context, endpoint);
  }
  // The older @azure/identity path (and other credentials) report the IMDS body through AuthenticationError.
  if (fields.name === "AuthenticationError") {
    const description = (error as { errorResponse?: { errorDescription?: unknown } }).errorResponse
      ?.errorDescription;
    if (typeof description === "string") {
      return explainImdsAnswer(description, context, context?.endpoint ?? imdsEndpoint(process.env));
    }
  }

  // A bare network error (Node.js or core-rest-pipeline) on the way to IMDS.
  const reason = fields.code ? networkErrorReasons[fields.code] : undefined;
  if (reason && targetsImds(fields)) return unreachable(imdsEndpoint(process.env), reason);
  return undefined;
}

function explainImdsAnswer(
  message: string,
  context: TokenRequestContext | undefined,
  endpoint: string,
): string | undefined {
  const description = /Description: ([\s\S]*?) - Correlation ID:/.exec(message)?.[1] ?? message;
  if (/Identity not found/i.test(description)) return identityNotFound(context);
  if (/Multiple user assigned identities/i.test(description)) {
    return [
      "This VM has several user-assigned managed identities, so IMDS needs to be told which one to use.",
      "Choose one: set AZURE_CLIENT_ID or pass --client-id (or --object-id / --resource-id).",
    ].join("\n");
  }
  // MSAL's wording when the answer was not IMDS's JSON, which is what a proxy in the way sends.
  const status = /Http status code: (\d+)/.exec(description)?.[1];
  if (status) {
    const text = /Http status message: (.*)/.exec(description)?.[1] ?? "";
    if (status === "429") return undefined;
    if (proxyInTheWay(endpoint)) return unreachable(endpoint, `HTTP ${status} ${oneLine(text, 80)}`);
    return `Managed identity: IMDS at ${endpoint} answered HTTP ${status}: ${oneLine(text, 200)}`;
  }
  const code = /Message (\S+?): Error\(s\)/.exec(message)?.[1];
  if (!code) return undefined;
  return `Managed identity: IMDS at ${endpoint} refused the token request: ${code}: ${oneLine(description, 300)}`;
}

function identityNotFound(context: TokenRequestContext | undefined): string {
  const assign = "az vm identity assign --resource-group <group> --name <vm>";
  const identity = context?.identity;
  if (identity?.kind === "user-assigned") {
    const { label } = identitySelectorSettings[identity.by];
    return [
      `IMDS found no user-assigned identity with ${label} ${identity.value} (from ${context?.setting ?? identitySelectorSettings[identity.by].flag}) on this VM.`,
      `Check the value, and that the identity is assigned to this VM: ${assign} --identities <identity resource ID>`,
    ].join("\n");
  }
  if (identity?.kind === "system-assigned") {
    return [
      "This VM has no system-assigned managed identity (IMDS: Identity not found).",
      `Enable it with: ${assign}; or use a user-assigned identity: set AZURE_CLIENT_ID or pass --client-id.`,
    ].join("\n");
  }
  return [
    "IMDS found no managed identity matching the request (Identity not found).",
    `Enable the VM's system-assigned identity (${assign}), or set AZURE_CLIENT_ID / --client-id to a user-assigned identity assigned to it.`,
  ].join("\n");
}

function unreachable(endpoint: string, reason: string): string {
  const host = hostOf(endpoint);
  const proxy = proxySettingInEffect();
  const what = `Cannot reach the managed identity endpoint (IMDS at ${endpoint}: ${reason}).`;
  if (proxy && proxyInTheWay(endpoint)) {
    return [
      `${what} ${proxy} is set, so the request went to the proxy instead.`,
      `IMDS must be reached directly: set NO_PROXY=${host} (add it to any existing NO_PROXY list).`,
    ].join("\n");
  }
  return [
    `${what} This is not an Azure VM, the VM has no managed identity enabled, or a proxy is in the way.`,
    `Behind a proxy, set NO_PROXY=${host}. Not on an Azure VM? ${runLocallyHint}`,
  ].join("\n");
}

function proxyInTheWay(endpoint: string): boolean {
  return proxySettingInEffect() !== undefined && !noProxyCovers(hostOf(endpoint));
}

// The variables core-rest-pipeline reads, in its order (one proxy for every request).
function proxySettingInEffect(): string | undefined {
  const names = ["HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "HTTP_PROXY", "http_proxy"];
  return names.find((name) => process.env[name]?.trim());
}

// core-rest-pipeline's NO_PROXY takes exact host names and `.suffix` entries.
function noProxyCovers(host: string): boolean {
  const entries = (process.env.NO_PROXY ?? process.env.no_proxy ?? "")
    .split(",")
    .map((entry) => entry.trim());
  return entries.some((entry) => entry === host || (entry.startsWith(".") && host.endsWith(entry)));
}

function targetsImds(fields: {
  requestUrl?: string;
  address?: string;
  port?: number;
  message: string;
}): boolean {
  const imdsHosts = new Set([hostAndPortOf(defaultImdsEndpoint), hostAndPortOf(imdsEndpoint(process.env))]);
  const target = fields.address
    ? fields.port === undefined || fields.port === 80
      ? fields.address
      : `${fields.address}:${fields.port}`
    : fields.requestUrl
      ? hostAndPortOf(fields.requestUrl)
      : undefined;
  return target ? imdsHosts.has(target) : [...imdsHosts].some((host) => fields.message.includes(host));
}

/** `169.254.169.254`, `127.0.0.1:8080` (URL.host leaves out the default port). */
function hostAndPortOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
