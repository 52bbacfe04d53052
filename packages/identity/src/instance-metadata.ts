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
import { formatDuration, withDeadline } from "./deadline.ts";
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
  /** Default 5 s. */
  timeoutMs?: number | undefined;
  /** Where to read AZURE_POD_IDENTITY_AUTHORITY_HOST. Default process.env. */
  env?: NodeJS.ProcessEnv | undefined;
}

// Short retries: a VM's IMDS answers at once, and a caller falling back to a prompt should not wait.
const pipeline = createPipelineFromOptions({
  retryOptions: { maxRetries: 2, retryDelayInMs: 200, maxRetryDelayInMs: 1_000 },
  userAgentOptions: { userAgentPrefix: "msi-samples" },
});
const httpClient = createDefaultHttpClient();

// A sample resolves several settings from metadata: ask IMDS once per process (and address), so that off Azure the
// wait for an address that never answers is paid once, not per setting.
const answers = new Map<string, Promise<InstanceMetadata>>();

/**
 * The VM's compute metadata from IMDS (`GET /metadata/instance/compute?api-version=2021-02-01`, header
 * `Metadata: true`), asked once per process. Fails with InstanceMetadataError.
 */
export function getInstanceMetadata(options: InstanceMetadataOptions = {}): Promise<InstanceMetadata> {
  const endpoint = imdsEndpoint(options.env ?? process.env);
  const timeoutMs = options.timeoutMs ?? defaultInstanceMetadataTimeoutMs;
  let answer = answers.get(endpoint);
  if (!answer) {
    answer = readInstanceMetadata(endpoint, timeoutMs);
    answers.set(endpoint, answer);
  }
  return answer;
}

async function readInstanceMetadata(endpoint: string, timeoutMs: number): Promise<InstanceMetadata> {
  const url = `${endpoint}${computePath}`;
  let lastNetworkError: { code?: string; message: string } | undefined;

  let goneAnswers = 0;

  const response = await withDeadline(
    async (abortSignal) => {
      // IMDS answers 410 while it is being updated ("retry after some time (max 70 seconds)"; wireserver restarts,
      // Azure/azure-sdk-for-go#1848), which the pipeline's retry policy leaves alone: retry it here, within the deadline.
      for (;;) {
        const request = createPipelineRequest({
          url,
          method: "GET",
          headers: createHttpHeaders({ Metadata: "true", Accept: "application/json" }),
          allowInsecureConnection: true,
          abortSignal,
        });
        let answer: Awaited<ReturnType<typeof pipeline.sendRequest>>;
        try {
          answer = await pipeline.sendRequest(httpClient, request);
        } catch (error) {
          if (isRestError(error) && error.code !== undefined) lastNetworkError = error;
          throw error;
        }
        if (answer.status !== 410) return answer;
        goneAnswers += 1;
        await delay(Math.min(200 * 2 ** (goneAnswers - 1), 1_000), undefined, { signal: abortSignal });
      }
    },
    {
      timeoutMs,
      onTimeout: () => {
        const last = lastNetworkError
          ? ` (last error: ${lastNetworkError.code})`
          : goneAnswers > 0
            ? ` (it answered 410, being updated, ${goneAnswers} times)`
            : "";
        return new InstanceMetadataError(
          `Instance metadata: IMDS at ${endpoint} did not answer within ${formatDuration(timeoutMs)}${last}.`,
          { endpoint, code: lastNetworkError?.code ?? "ETIMEDOUT" },
        );
      },
    },
  ).catch((error: unknown) => {
    if (error instanceof InstanceMetadataError) throw error;
    const code = isRestError(error) ? error.code : undefined;
    throw new InstanceMetadataError(
      `Instance metadata: cannot reach IMDS at ${endpoint}: ${error instanceof Error ? error.message : String(error)}`,
      { endpoint, ...(code ? { code } : {}), cause: error },
    );
  });

  const body = response.bodyAsText ?? "";
  if (response.status !== 200) {
    throw new InstanceMetadataError(
      `Instance metadata: IMDS at ${endpoint} answered ${response.status}: ${describeErrorBody(body)}`,
      { endpoint, statusCode: response.status },
    );
  }
  return parseComputeMetadata(body, endpoint);
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
