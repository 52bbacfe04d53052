// Replays requests that Azure SDK live tests recorded against real Azure (test/replay/recordings, from
// Azure/azure-sdk-assets) against the emulator, over real TLS through its proxy, and lists every way the emulator's
// answer differs from Azure's: status code, the headers that matter (content type, LRO headers, the Key Vault
// challenge), and the response JSON's shape and deterministic values.
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Emulator } from "../../src/index.ts";
import { httpsThroughProxy, proxiedHttp, type RawResponse } from "../support/raw-requests.ts";

export const RECORDINGS_DIR = path.join(import.meta.dirname, "recordings");

interface RecordedEntry {
  RequestUri: string;
  RequestMethod: string;
  RequestHeaders: Record<string, string>;
  RequestBody: unknown;
  StatusCode: number;
  ResponseHeaders: Record<string, string>;
  ResponseBody: unknown;
}

/** A request the live test made before the recorded part (e.g. creating the group), sent but not compared. */
interface SetupRequest {
  method: string;
  uri: string;
  body?: unknown;
}

export interface Recording {
  source: { repo: string; path: string; commit: string };
  /** The row of the pass-rate table this recording counts in. */
  service: string;
  setup?: SetupRequest[];
  Entries: RecordedEntry[];
}

/** The emulator's world that the recordings' sanitized names stand for. */
export interface ReplayWorld {
  subscriptionId: string;
  tenantId: string;
  /** The vault the Key Vault recordings' `Sanitized.vault.azure.net` / `keyvault_name` stands for. */
  vaultName: string;
}

export interface EntryResult {
  /** `<file>#<index>`, as the known differences name entries. */
  entry: string;
  service: string;
  request: string;
  mismatches: string[];
}

export function loadRecording(file: string): Recording {
  return JSON.parse(readFileSync(path.join(RECORDINGS_DIR, file), "utf8")) as Recording;
}

/** Replays every entry of `file` in order; the emulator's state carries from one entry to the next, as Azure's did. */
export async function replayRecording(
  emulator: Emulator,
  file: string,
  world: ReplayWorld,
): Promise<EntryResult[]> {
  const recording = loadRecording(file);
  const tokens = {
    arm: await managedIdentityToken(emulator, "https://management.azure.com/"),
    vault: await managedIdentityToken(emulator, "https://vault.azure.net"),
  };
  for (const setup of recording.setup ?? []) {
    const response = await send(emulator, world, tokens, {
      method: setup.method,
      uri: setup.uri,
      body: setup.body,
      authorized: true,
    });
    if (response.status >= 300)
      throw new Error(
        `${file}: setup ${setup.method} ${setup.uri} answered ${response.status} ${response.text}`,
      );
  }
  /** Operation URLs Azure handed out (path and query) -> the ones the emulator handed out for the same step. */
  const operationUrls = new Map<string, string>();
  /** Key Vault secret versions Azure created -> the ones the emulator created in the same step. */
  const versions = new Map<string, string>();
  const results: EntryResult[] = [];
  for (const [index, entry] of recording.Entries.entries()) {
    const recordedTarget = pathAndQuery(entry.RequestUri);
    const isPoll = operationUrls.has(recordedTarget);
    const response = await send(emulator, world, tokens, {
      method: entry.RequestMethod,
      uri: operationUrls.get(recordedTarget) ?? withVersions(entry.RequestUri, versions),
      body: entry.RequestBody,
      authorized: "Authorization" in entry.RequestHeaders,
    });
    for (const header of ["Location", "Azure-AsyncOperation"]) {
      const recorded = entry.ResponseHeaders[header];
      const answered = response.headers[header.toLowerCase()];
      if (recorded && typeof answered === "string")
        operationUrls.set(pathAndQuery(recorded), pathAndQuery(answered));
    }
    const recordedVersion = versionOf(entry.ResponseBody);
    const answeredVersion = versionOf(response.json);
    if (recordedVersion && answeredVersion) versions.set(recordedVersion, answeredVersion);
    results.push({
      entry: `${file}#${index}`,
      service: recording.service,
      request: `${entry.RequestMethod} ${new URL(entry.RequestUri).pathname}`,
      mismatches: compareExchange(entry, response, world, isPoll),
    });
  }
  return results;
}

/**
 * The vault the Key Vault recordings ran against, as the emulator's world: access policies granting the VM's
 * system-assigned identity every secret permission, and the 7-day retention their answers show (recoverableDays 7).
 */
export async function createReplayVault(
  emulator: Emulator,
  world: ReplayWorld,
  principalId: string,
): Promise<void> {
  const token = await managedIdentityToken(emulator, "https://management.azure.com/");
  const response = await send(
    emulator,
    world,
    { arm: token, vault: "" },
    {
      method: "PUT",
      uri: `/subscriptions/${world.subscriptionId}/resourceGroups/rg-msi-samples/providers/Microsoft.KeyVault/vaults/${world.vaultName}?api-version=2023-07-01`,
      authorized: true,
      body: {
        location: "westus2",
        properties: {
          tenantId: world.tenantId,
          sku: { family: "A", name: "standard" },
          enableRbacAuthorization: false,
          softDeleteRetentionInDays: 7,
          accessPolicies: [
            {
              tenantId: world.tenantId,
              objectId: principalId,
              permissions: {
                secrets: ["get", "list", "set", "delete", "backup", "restore", "recover", "purge"],
              },
            },
          ],
        },
      },
    },
  );
  if (response.status >= 300)
    throw new Error(`creating the replay vault: ${response.status} ${response.text}`);
}

/** The version at the end of a Key Vault answer's `id`. */
function versionOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null | undefined)?.id;
  return typeof id === "string" ? KEY_VAULT_VERSION.exec(id)?.[1] : undefined;
}

function withVersions(uri: string, versions: ReadonlyMap<string, string>): string {
  let mapped = uri;
  for (const [recorded, answered] of versions) mapped = mapped.replaceAll(`/${recorded}`, `/${answered}`);
  return mapped;
}

async function managedIdentityToken(emulator: Emulator, resource: string): Promise<string> {
  const response = await proxiedHttp(
    emulator.port,
    `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
    { Metadata: "true" },
  );
  const token = (response.json as { access_token?: string } | undefined)?.access_token;
  if (!token) throw new Error(`IMDS gave no token for ${resource}: ${response.status} ${response.text}`);
  return token;
}

/** Sanitized names in a recording, as the emulator's world names them. */
function mapNames(text: string, world: ReplayWorld): string {
  return text
    .replaceAll("Sanitized.azure.com", "management.azure.com")
    .replaceAll("Sanitized.vault.azure.net", `${world.vaultName}.vault.azure.net`)
    .replaceAll("keyvault_name.vault.azure.net", `${world.vaultName}.vault.azure.net`)
    .replaceAll("azure_subscription_id", world.subscriptionId);
}

const pathAndQuery = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
};

async function send(
  emulator: Emulator,
  world: ReplayWorld,
  tokens: { arm: string; vault: string },
  request: { method: string; uri: string; body: unknown; authorized: boolean },
): Promise<RawResponse> {
  const url = new URL(
    mapNames(request.uri.startsWith("/") ? `https://management.azure.com${request.uri}` : request.uri, world),
  );
  const token = url.hostname.endsWith(".vault.azure.net") ? tokens.vault : tokens.arm;
  const body =
    request.body === null || request.body === undefined
      ? undefined
      : mapNames(JSON.stringify(request.body), world);
  return httpsThroughProxy(emulator.port, {
    host: url.hostname,
    method: request.method,
    path: `${url.pathname}${url.search}`,
    headers: {
      ...(request.authorized ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/json" } : {}),
      "content-length": String(Buffer.byteLength(body ?? "")),
    },
    ...(body !== undefined ? { body } : {}),
  });
}

/** Every difference between Azure's recorded answer and the emulator's, worded for the known-differences list. */
function compareExchange(
  entry: RecordedEntry,
  response: RawResponse,
  world: ReplayWorld,
  isPoll: boolean,
): string[] {
  const mismatches: string[] = [];
  // A poll may find the operation done sooner than Azure did: that is timing, not behaviour.
  const finishedSooner =
    isPoll && entry.StatusCode === 202 && (response.status === 200 || response.status === 204);
  if (finishedSooner) return mismatches;
  if (response.status !== entry.StatusCode)
    mismatches.push(`status ${response.status}, Azure ${entry.StatusCode}`);
  mismatches.push(...compareHeaders(entry, response, world));
  if (entry.ResponseBody !== null && entry.ResponseBody !== undefined) {
    if (response.json === undefined) mismatches.push("body is not JSON");
    else
      compareJson(
        JSON.parse(mapNames(JSON.stringify(entry.ResponseBody), world)),
        response.json,
        "body",
        mismatches,
      );
  }
  return mismatches;
}

function compareHeaders(entry: RecordedEntry, response: RawResponse, world: ReplayWorld): string[] {
  const mismatches: string[] = [];
  const answered = (name: string) => {
    const value = response.headers[name.toLowerCase()];
    return Array.isArray(value) ? value.join(", ") : value;
  };
  const mediaType = (value: string | undefined) => value?.split(";")[0]?.trim().toLowerCase();
  const recordedType = entry.ResponseHeaders["Content-Type"];
  if (recordedType && mediaType(recordedType) !== mediaType(answered("Content-Type")))
    mismatches.push(`content-type ${answered("Content-Type") ?? "(none)"}, Azure ${recordedType}`);
  for (const name of ["Location", "Azure-AsyncOperation", "Retry-After"]) {
    const recorded = entry.ResponseHeaders[name] !== undefined;
    if (recorded !== (answered(name) !== undefined))
      mismatches.push(`${name} header ${recorded ? "missing" : "sent, Azure sends none"}`);
  }
  const challenge = entry.ResponseHeaders["WWW-Authenticate"];
  if (challenge) {
    // The recorded tenant is the recording's; the emulator's vaults live in the world's tenant.
    const expected = challenge.replace(
      /login\.microsoftonline\.com\/[0-9a-f-]{36}/,
      `login.microsoftonline.com/${world.tenantId}`,
    );
    if (answered("WWW-Authenticate") !== expected)
      mismatches.push(`www-authenticate ${answered("WWW-Authenticate") ?? "(none)"}, Azure ${expected}`);
  }
  return mismatches;
}

/** Keys whose values are times or per-call identities: compared by type only. */
const VOLATILE_KEYS = new Set([
  "created",
  "updated",
  "createdat",
  "lastmodifiedat",
  "createdby",
  "lastmodifiedby",
  "creationtime",
  "lastenabledtime",
  "key1",
  "key2",
  "deletiondate",
  "scheduledpurgedate",
  "deleteddate",
]);
/** States an operation passes through: the emulator (instant) may already be past them. */
const TRANSITIONAL_STATES = new Set([
  "RegisteringDns",
  "Creating",
  "Accepted",
  "Running",
  "Deleting",
  "Updating",
  "ResolvingDNS",
]);
const KEY_VAULT_VERSION = /\/([0-9a-f]{32})$/;

function compareJson(recorded: unknown, answered: unknown, where: string, mismatches: string[]): void {
  const kind = (value: unknown) => (value === null ? "null" : Array.isArray(value) ? "array" : typeof value);
  if (kind(recorded) !== kind(answered)) {
    mismatches.push(
      answered === undefined ? `${where} missing` : `${where} is ${kind(answered)}, Azure ${kind(recorded)}`,
    );
    return;
  }
  if (Array.isArray(recorded)) {
    const list = answered as unknown[];
    if (list.length !== recorded.length)
      mismatches.push(`${where} has ${list.length} items, Azure ${recorded.length}`);
    recorded.forEach((item, index) => {
      if (index < list.length) compareJson(item, list[index], `${where}[${index}]`, mismatches);
    });
    return;
  }
  if (kind(recorded) === "object") {
    const object = answered as Record<string, unknown>;
    for (const [key, value] of Object.entries(recorded as Record<string, unknown>)) {
      const child = `${where}.${key}`;
      if (!(key in object)) {
        mismatches.push(`${child} missing`);
        continue;
      }
      if (
        VOLATILE_KEYS.has(key.toLowerCase()) &&
        kind(value) === kind(object[key]) &&
        kind(value) !== "object"
      )
        continue;
      if (key === "provisioningState" && TRANSITIONAL_STATES.has(String(value))) continue;
      compareJson(value, object[key], child, mismatches);
    }
    return;
  }
  if (typeof recorded === "string" && typeof answered === "string") {
    // Sanitized values, and the version part of a Key Vault ID, are the recording's own.
    if (recorded.includes("Sanitized")) return;
    if (KEY_VAULT_VERSION.test(recorded) && KEY_VAULT_VERSION.test(answered)) {
      if (recorded.replace(KEY_VAULT_VERSION, "") === answered.replace(KEY_VAULT_VERSION, "")) return;
    }
  }
  if (recorded !== answered)
    mismatches.push(`${where} is ${JSON.stringify(answered)}, Azure ${JSON.stringify(recorded)}`);
}
