// Scenarios and clients for the Key Vault tests: the default world plus vaults that exercise each permission model,
// soft-delete setting and tenant, and a SecretClient that goes through the emulator's proxy and TLS.
import { readFile } from "node:fs/promises";
import { ManagedIdentityCredential, type TokenCredential } from "@azure/identity";
import { SecretClient } from "@azure/keyvault-secrets";
import {
  clientOptionsFor,
  DEFAULT_SCENARIO_PATH,
  type Emulator,
  findBuiltInRole,
  type ScenarioInput,
} from "../../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy, type RawResponse } from "./raw-requests.ts";
import { thrownBy } from "./sdk-calls.ts";

export const VAULT_RESOURCE_GROUP = "rg-msi-samples";
export const vaultResourceId = (name: string) =>
  `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/${VAULT_RESOURCE_GROUP}/providers/Microsoft.KeyVault/vaults/${name}`;
export const vaultUrl = (name: string) => `https://${name}.vault.azure.net`;
/**
 * Makes the VM's system-assigned identity Key Vault Secrets Officer on `vaultName` (the default scenario lets it only
 * read), straight in the world: `assignmentName` is the role assignment's GUID.
 */
export function grantSecretsOfficer(emulator: Emulator, vaultName: string, assignmentName: string): void {
  emulator.world.addRoleAssignment({
    name: assignmentName,
    principalId: emulator.world.resolvePrincipal("system") ?? "",
    principalType: "ServicePrincipal",
    roleDefinitionId: findBuiltInRole("Key Vault Secrets Officer")?.id ?? "",
    scope: vaultResourceId(vaultName),
    createdOn: new Date().toISOString(),
    updatedOn: new Date().toISOString(),
  });
}

export const OTHER_TENANT_ID = "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70";
export const STRANGER_OBJECT_ID = "9e8d7c6b-5a49-4382-a1b0-c9d8e7f6a5b4";

interface ScenarioVault {
  name: string;
  resourceGroup: string;
  location?: string;
  enableRbacAuthorization?: boolean;
  accessPolicies?: { principal: string; permissions: { secrets: string[] } }[];
  softDeleteRetentionInDays?: number;
  secrets?: { name: string; value: string; contentType?: string; enabled?: boolean }[];
}

/** The default scenario with extra vaults, role assignments and resources (read fresh, so tests may change it). */
export async function scenarioWith(extra: {
  keyVaults?: ScenarioVault[];
  roleAssignments?: { principal: string; role: string; scope: string }[];
  resources?: { id: string; location?: string; properties: Record<string, unknown> }[];
}): Promise<ScenarioInput> {
  const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, "utf8"));
  scenario.keyVaults.push(...(extra.keyVaults ?? []));
  scenario.roleAssignments.push(...(extra.roleAssignments ?? []));
  scenario.resources.push(...(extra.resources ?? []));
  return scenario as ScenarioInput;
}

/** A vault defined as a plain ARM resource: for settings the scenario's keyVaults do not model (purge protection, tenant). */
export function vaultResource(name: string, properties: Record<string, unknown>) {
  return {
    id: vaultResourceId(name),
    location: "westus2",
    properties: {
      sku: { family: "A", name: "standard" },
      tenantId: "7c2f9e41-5b8a-4d3e-9f16-2a4b8c6d0e13",
      accessPolicies: [],
      enableSoftDelete: true,
      softDeleteRetentionInDays: 90,
      vaultUri: `${vaultUrl(name)}/`,
      ...properties,
    },
  };
}

export function secretClientFor(
  emulator: Emulator,
  vaultName: string,
  credential?: TokenCredential,
): SecretClient {
  const options = clientOptionsFor(emulator);
  return new SecretClient(vaultUrl(vaultName), credential ?? new ManagedIdentityCredential(options), {
    ...options,
    retryOptions: { maxRetries: 0 },
  });
}

/** A raw HTTPS request to a vault through the proxy, for headers and bodies the SDK hides. */
export function vaultRequest(
  emulator: Emulator,
  vaultName: string,
  options: {
    method?: string;
    path: string;
    token?: string;
    body?: unknown;
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return httpsThroughProxy(emulator.port, {
    host: `${vaultName}.vault.azure.net`,
    method: options.method ?? "GET",
    path: options.path,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(body !== undefined
        ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) }
        : {}),
      ...options.headers,
    },
    ...(body !== undefined ? { body } : {}),
  });
}

/** The error a SecretClient call rejects with, with Key Vault's body as the SDK keeps it. */
export async function vaultFailureOf(operation: () => Promise<unknown>): Promise<{
  statusCode?: number;
  code?: string;
  message: string;
  innerCode?: string;
}> {
  const e = (await thrownBy(operation)) as {
    statusCode?: number;
    code?: string;
    message: string;
    details?: { error?: { innerError?: { code?: string } } };
  };
  const innerCode = e.details?.error?.innerError?.code;
  return {
    ...(e.statusCode !== undefined ? { statusCode: e.statusCode } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    message: e.message,
    ...(innerCode ? { innerCode } : {}),
  };
}
