// getInstanceMetadata: the VM's compute metadata from IMDS (subscription, resource group, location, name, VM ID),
// sent through @azure/core-rest-pipeline so proxy settings apply exactly as they do to the credential.

import { setTimeout as delay } from "node:timers/promises";
import {
  createDefaultHttpClient,
  createHttpHeaders,
  createPipelineFromOptions,
  createPipelineRequest,
  isRestError,
} from "@azure/core-rest-pipeline";
import { timeoutSetting, tokenDeadlineMs } from "./credential.ts";
import { formatDuration } from "./deadline.ts";
import { InstanceMetadataError } from "./errors.ts";
import { imdsEndpoint } from "./imds-endpoint.ts";
import { isGuid } from "./validation.ts";

// The compute category of IMDS, api-version 2021-02-01 (Azure/azure-rest-api-specs,
// specification/imds/data-plane/InstanceMetadataService/stable/2021-02-01).
const computePath = "/metadata/instance/compute?api-version=2021-02-01";
/** IMDS answers in milliseconds on a VM; off Azure the address usually swallows packets, so do not wait long. */
export const defaultInstanceMetadataTimeoutMs = 5_000;

export interface InstanceMetadata {
  subscriptionId: string;
  resourceGroupName: string;
  location: string;
  /** The VM's name. */
  name: string;
  vmId: string;
  /** e.g. `/subscriptions/…/resourceGroups/…/providers/Microsoft.Compute/virtualMachines/…` */
  resourceId?: string;
  vmSize?: string;
  osType?: string;
  zone?: string;
  vmScaleSetName?: string;
  tags?: Record<string, string>;
}

export interface InstanceMetadataOptions {
  /** Bound on one attempt that gets no answer at all. Default 5 s. */
  timeoutMs?: number | undefined;
  /** Where to read AZURE_POD_IDENTITY_AUTHORITY_HOST and AZURE_MANAGED_IDENTITY_TIMEOUT_MS. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

// Retries are this module's own (below), so that every answer is seen and counted.
const pipeline = createPipelineFromOptions({
  retryOptions: { maxRetries: 0 },
  userAgentOptions: { userAgentPrefix: "msi-samples" },
});
const httpClient = createDefaultHttpClient();

// A sample resolves several settings from metadata: ask IMDS once per process (and address), so that off Azure the
// wait for an address that never answers is paid once, not per setting.
const answers = new Map<string, Promise<InstanceMetadata>>();

/**
 * The VM's compute metadata from IMDS (`GET /metadata/instance/compute?api-version=2021-02-01`, header
 * `Metadata: true`), asked once per process. Fails with InstanceMetadataError: with `code` when IMDS could not be
 * reached at all (not an Azure VM), with `statusCode` when it kept answering an error until the deadline.
 */
export function getInstanceMetadata(options: InstanceMetadataOptions = {}): Promise<InstanceMetadata> {
  const env = options.env ?? process.env;
  const endpoint = imdsEndpoint(env);
  let answer = answers.get(endpoint);
  if (!answer) {
    answer = readInstanceMetadata(
      endpoint,
      options.timeoutMs ?? defaultInstanceMetadataTimeoutMs,
      tokenDeadlineMs({ env }),
    );
    answers.set(endpoint, answer);
  }
  return answer;
}

// IMDS answers 410 while it is being updated ("retry after some time (max 70 seconds)", learn.microsoft.com/azure/
// virtual-machines/instance-metadata-service#errors-and-debugging), 429 past its rate limit (with Retry-After), and
// 5xx when something is wrong for a moment: retried, like the token path, until the managed-identity deadline.
const retriedStatuses = (status: number) =>
  status === 410 || status === 429 || (status >= 500 && status !== 501 && status !== 505);

async function readInstanceMetadata(
  endpoint: string,
  attemptMs: number,
  deadlineMs: number,
): Promise<InstanceMetadata> {
  const startedAt = Date.now();
  let retries = 0;
  for (;;) {
    const response = await sendOnce(endpoint, attemptMs);
    const body = response.bodyAsText ?? "";
    if (response.status === 200) return parseComputeMetadata(body, endpoint);
    const wait = retryDelayMs(response.headers.get("retry-after"), retries);
    const elapsed = Date.now() - startedAt;
    if (!retriedStatuses(response.status)) {
      throw new InstanceMetadataError(
        `Instance metadata: IMDS at ${endpoint} answered ${response.status}: ${describeErrorBody(body)}`,
        { endpoint, statusCode: response.status },
      );
    }
    if (elapsed + wait > deadlineMs) {
      throw new InstanceMetadataError(
        `Instance metadata: IMDS at ${endpoint} answered ${response.status}: ${describeErrorBody(body)} (${retries + 1} answers in ${formatDuration(elapsed)}; deadline ${formatDuration(deadlineMs)}, ${timeoutSetting}).\nOn an Azure VM, run again in a minute, or pass the setting as a flag.`,
        { endpoint, statusCode: response.status },
      );
    }
    retries++;
    await delay(wait);
  }
}

/** Retry-After when IMDS sends one (429), else 0.2 s doubling up to 2 s. */
function retryDelayMs(retryAfter: string | undefined, previousRetries: number): number {
  const seconds = Number(retryAfter);
  if (retryAfter && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  return Math.min(200 * 2 ** previousRetries, 2_000);
}

/** One request; no answer within `attemptMs`, or no connection, means IMDS cannot be reached from here. */
async function sendOnce(endpoint: string, attemptMs: number) {
  const request = createPipelineRequest({
    url: `${endpoint}${computePath}`,
    method: "GET",
    headers: createHttpHeaders({ Metadata: "true", Accept: "application/json" }),
    allowInsecureConnection: true,
    abortSignal: AbortSignal.timeout(attemptMs),
  });
  try {
    return await pipeline.sendRequest(httpClient, request);
  } catch (error) {
    const timedOut = request.abortSignal?.aborted === true;
    const code = timedOut ? "ETIMEDOUT" : isRestError(error) ? error.code : undefined;
    const message = timedOut
      ? `Instance metadata: IMDS at ${endpoint} did not answer within ${formatDuration(attemptMs)}.`
      : `Instance metadata: cannot reach IMDS at ${endpoint}: ${error instanceof Error ? error.message : String(error)}`;
    throw new InstanceMetadataError(message, {
      endpoint,
      code: code ?? "ECONNREFUSED",
      cause: error,
    });
  }
}

function parseComputeMetadata(body: string, endpoint: string): InstanceMetadata {
  const invalid = (what: string) =>
    new InstanceMetadataError(`Instance metadata: IMDS at ${endpoint} sent ${what}.`, { endpoint });
  let compute: unknown;
  try {
    compute = JSON.parse(body);
  } catch {
    throw invalid(`a body that is not JSON: ${truncate(body)}`);
  }
  if (typeof compute !== "object" || compute === null) throw invalid("a body that is not a JSON object");
  const fields = compute as Record<string, unknown>;
  const required = (name: keyof InstanceMetadata): string => {
    const value = fields[name];
    if (typeof value !== "string" || value.trim() === "") throw invalid(`no '${name}'`);
    return value;
  };
  const optional = (name: keyof InstanceMetadata): string | undefined => {
    const value = fields[name];
    return typeof value === "string" && value !== "" ? value : undefined;
  };

  const subscriptionId = required("subscriptionId");
  if (!isGuid(subscriptionId)) throw invalid(`a subscriptionId that is not a GUID: '${subscriptionId}'`);
  const metadata: InstanceMetadata = {
    subscriptionId,
    resourceGroupName: required("resourceGroupName"),
    location: required("location"),
    name: required("name"),
    vmId: required("vmId"),
  };
  for (const name of ["resourceId", "vmSize", "osType", "zone", "vmScaleSetName"] as const) {
    const value = optional(name);
    if (value !== undefined) metadata[name] = value;
  }
  const tags = parseTags(fields.tagsList, fields.tags);
  if (tags) metadata.tags = tags;
  return metadata;
}

// IMDS sends tags twice: `tagsList` ([{name, value}]) and `tags` ("name:value;name:value"), which cannot carry ';'
// or ':' in a value; prefer the list.
function parseTags(tagsList: unknown, tags: unknown): Record<string, string> | undefined {
  if (Array.isArray(tagsList)) {
    const entries = tagsList.filter(
      (tag): tag is { name: string; value: string } =>
        typeof tag?.name === "string" && typeof tag?.value === "string",
    );
    return entries.length > 0 ? Object.fromEntries(entries.map((tag) => [tag.name, tag.value])) : undefined;
  }
  if (typeof tags === "string" && tags !== "") {
    return Object.fromEntries(
      tags.split(";").map((pair) => {
        const colon = pair.indexOf(":");
        return colon < 0 ? [pair, ""] : [pair.slice(0, colon), pair.slice(colon + 1)];
      }),
    );
  }
  return undefined;
}

function describeErrorBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; error_description?: unknown };
    const error = typeof parsed.error === "string" ? parsed.error : JSON.stringify(parsed.error);
    const description = typeof parsed.error_description === "string" ? ` ${parsed.error_description}` : "";
    if (parsed.error !== undefined) return `${error}${description}`;
  } catch {
    // not JSON: show it as text
  }
  return truncate(body) || "(empty body)";
}

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 200)}…` : oneLine;
}
