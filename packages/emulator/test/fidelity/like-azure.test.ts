// How closely the emulator behaves like Azure: checks as strict as Azure's, faults the SDK's retries recover from, and
// Azure's recorded traffic replayed.

import { readdirSync } from "node:fs";
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { ResourceManagementClient } from "@azure/arm-resources";
import { ManagedIdentityCredential } from "@azure/identity";
import { CompactSign, importPKCS8 } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../../src/index.ts";
import { loadOrCreateCertificateAuthority } from "../../src/tls/certificate-authority.ts";
import { createLeafCertificates } from "../../src/tls/leaf-certificates.ts";
import { KNOWN_DIFFERENCES } from "../replay/known-differences.ts";
import {
  createReplayVault,
  type EntryResult,
  RECORDINGS_DIR,
  type ReplayWorld,
  replayRecording,
} from "../replay/replay-harness.ts";
import { SUBSCRIPTION_ID, SYSTEM_PRINCIPAL_ID, TENANT_ID } from "../support/default-scenario.ts";
import { grantSecretsOfficer, secretClientFor } from "../support/keyvault-fixtures.ts";
import { decodeJwtPayload, proxiedHttp } from "../support/raw-requests.ts";
import { fixedTokenCredential, rejectionOf } from "../support/sdk-calls.ts";

// Checks as strict as Azure's: tokens with a foreign issuer or an array audience refused by ARM and Key Vault, IMDS
// refusing tokens for resources the tenant does not know, Key Vault's 25 KB value limit, loose key-file modes fixed at
// start, and the certificate cache kept to its cap.
/** A token signed with the emulator's own key (so only the claim under test is wrong). */
async function forgedToken(base: string, change: Record<string, unknown>): Promise<string> {
  const home = process.env.MSI_EMULATOR_HOME ?? "";
  const key = await importPKCS8(await readFile(path.join(home, "token-signing-key.pem"), "utf8"), "RS256");
  const header = JSON.parse(Buffer.from(base.split(".")[0] ?? "", "base64url").toString("utf8"));
  const claims = { ...decodeJwtPayload(base), ...change };
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(key);
}

describe("token issuer and audience", () => {
  let emulator: Emulator;
  let armToken = "";
  let vaultToken = "";
  beforeAll(async () => {
    emulator = await startEmulator();
    armToken = await emulator.issueToken({ resource: "https://management.azure.com" });
    vaultToken = await emulator.issueToken({ resource: "https://vault.azure.net" });
  });
  afterAll(() => emulator.stop());

  const getGroup = (token: string) =>
    new ResourceManagementClient(fixedTokenCredential(token), SUBSCRIPTION_ID, {
      ...clientOptionsFor(emulator),
      retryOptions: { maxRetries: 0 },
    }).resourceGroups.get("rg-msi-samples");
  const getSecret = (token: string) =>
    secretClientFor(emulator, "kv-msi-samples", fixedTokenCredential(token)).getSecret("sample-secret");

  it("lets ARM accept its own tokens, in v1 and v2 issuer form", async () => {
    expect((await getGroup(armToken)).name).toBe("rg-msi-samples");
    const v2 = await forgedToken(armToken, { iss: `https://login.microsoftonline.com/${TENANT_ID}/v2.0` });
    expect((await getGroup(v2)).name).toBe("rg-msi-samples");
  });

  it("makes ARM refuse a token from another issuer than the tenant's, naming it", async () => {
    const foreign = await forgedToken(armToken, { iss: "https://sts.example.com/attacker/" });
    const failure = await rejectionOf(() => getGroup(foreign));
    expect(failure).toMatchObject({ statusCode: 401, code: "InvalidAuthenticationTokenTenant" });
    expect(failure.message).toContain("wrong issuer 'https://sts.example.com/attacker/'");
  });

  it("makes ARM refuse an array audience", async () => {
    const array = await forgedToken(armToken, { aud: ["https://management.azure.com"] });
    expect(await rejectionOf(() => getGroup(array))).toMatchObject({
      statusCode: 401,
      code: "InvalidAuthenticationTokenAudience",
    });
  });

  it("makes Key Vault refuse a foreign issuer and an array audience with its AKV codes", async () => {
    const foreign = await forgedToken(vaultToken, { iss: "https://sts.example.com/attacker/" });
    const issuerFailure = await rejectionOf(() => getSecret(foreign));
    expect(issuerFailure).toMatchObject({ statusCode: 401 });
    expect(issuerFailure.message).toContain("AKV10032: Invalid issuer");
    const array = await forgedToken(vaultToken, { aud: ["https://vault.azure.net"] });
    const audienceFailure = await rejectionOf(() => getSecret(array));
    expect(audienceFailure).toMatchObject({ statusCode: 401 });
    expect(audienceFailure.message).toContain("AKV10022: Invalid audience");
  });
});

describe("IMDS resource validation", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  const tokenFor = (resource: string) =>
    proxiedHttp(
      emulator.port,
      `http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=${encodeURIComponent(resource)}`,
      { Metadata: "true" },
    );

  it("answers 400 invalid_resource (AADSTS500011) for a resource the tenant does not know", async () => {
    for (const resource of ["https://attacker.example", "api://my-unregistered-app", "not a uri"]) {
      const answer = await tokenFor(resource);
      expect(answer.status, resource).toBe(400);
      expect(answer.json).toMatchObject({
        error: "invalid_resource",
        error_description: expect.stringContaining(`AADSTS500011: The resource principal named ${resource}`),
      });
    }
  });

  it("issues tokens for Microsoft's first-party resources", async () => {
    for (const resource of [
      "https://management.azure.com/",
      "https://management.core.windows.net/",
      "https://vault.azure.net",
      "https://storage.azure.com/",
      "https://mystorage.blob.core.windows.net",
    ]) {
      expect((await tokenFor(resource)).status, resource).toBe(200);
    }
  });
});

describe("Key Vault's secret value limit", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
    grantSecretsOfficer(emulator, "kv-msi-samples", "7e9a1c3b-5d2f-4a8e-b6c0-9f1d3b5a7c2e");
  });
  afterAll(() => emulator.stop());

  it("stores 25,600 characters and refuses one more with Key Vault's BadParameter, storing nothing", async () => {
    const token = await emulator.issueToken({ resource: "https://vault.azure.net" });
    const client = secretClientFor(emulator, "kv-msi-samples", fixedTokenCredential(token));
    await client.setSecret("at-limit", "x".repeat(25_600));
    const failure = await rejectionOf(() => client.setSecret("over-limit", "x".repeat(25_601)));
    expect(failure).toMatchObject({ statusCode: 400, code: "BadParameter" });
    expect(failure.message).toBe("Secret is beyond the maximum permitted length of 25600 characters.");
    expect(await rejectionOf(() => client.getSecret("over-limit"))).toMatchObject({ statusCode: 404 });
  });
});

describe("key files in the home", () => {
  let dir = "";
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("are made 0600 at start when others could read them", async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-key-modes-"));
    const home = path.join(dir, "home");
    await mkdir(home, { mode: 0o755 });
    for (const file of ["ca.pem", "ca-key.pem", "token-signing-key.pem"]) {
      await copyFile(path.join(process.env.MSI_EMULATOR_HOME ?? "", file), path.join(home, file));
      await chmod(path.join(home, file), 0o644);
    }
    const emulator = await startEmulator({ home });
    await emulator.stop();
    expect((await stat(path.join(home, "ca-key.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(home, "token-signing-key.pem"))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(home, "ca.pem"))).mode & 0o777).toBe(0o644);
  });
});

describe("the certificate cache", () => {
  it("keeps at most its cap of host certificates, the most recently used", async () => {
    const ca = await loadOrCreateCertificateAuthority(process.env.MSI_EMULATOR_HOME ?? "");
    const certificates = createLeafCertificates(ca, 3);
    for (const host of ["a.vault.azure.net", "b.vault.azure.net", "c.vault.azure.net", "d.vault.azure.net"])
      await certificates.contextFor(host);
    expect(certificates.cachedCount).toBe(3);
    const first = await certificates.contextFor("d.vault.azure.net");
    expect(await certificates.contextFor("d.vault.azure.net")).toBe(first);
  });
});

// Faults on demand, recovered by the SDK's own retry policies: IMDS 410 (VM just booted), 429 with Retry-After, 500,
// and ARM 429 with Retry-After. Switched through the admin endpoint, as a demo would.
async function putFaults(emulator: Emulator, faults: unknown): Promise<Response> {
  return fetch(`${emulator.adminUrl}/faults`, {
    method: "PUT",
    body: JSON.stringify(faults),
    headers: { "content-type": "application/json", "x-msi-emulator-token": emulator.adminToken },
  });
}

describe("faults", () => {
  let emulator: Emulator;
  let credential: ManagedIdentityCredential;
  beforeAll(async () => {
    emulator = await startEmulator();
    credential = new ManagedIdentityCredential(clientOptionsFor(emulator));
  });
  afterAll(() => emulator.stop());

  const imdsStatuses = (resource: string) =>
    emulator
      .requests()
      .filter((e) => e.service === "imds" && e.path.includes(encodeURIComponent(resource).slice(0, 20)))
      .map((e) => e.status);

  // Each case asks for a different resource: the SDK caches tokens per process, per identity and resource. The 429s
  // say Retry-After: 0, so no test sleeps: what is checked is that the SDK retries, not how long it waits.
  it("IMDS 410 for the first moment after boot is retried until IMDS answers", async () => {
    expect((await putFaults(emulator, { imdsGoneForSeconds: 0.5 })).status).toBe(200);
    const token = await credential.getToken("https://storage.azure.com/.default");
    expect(token.token).toBeTruthy();
    expect(imdsStatuses("https://storage.azure.com")).toEqual([410, 200]);
  });

  it("IMDS 429 with Retry-After is retried", async () => {
    await putFaults(emulator, { imdsTooManyRequests: { count: 1, retryAfterSeconds: 0 } });
    await credential.getToken("https://vault.azure.net/.default");
    expect(imdsStatuses("https://vault.azure.net")).toEqual([429, 200]);
  });

  it("IMDS 500 is retried", async () => {
    await putFaults(emulator, { imdsServerErrors: { count: 1 } });
    await credential.getToken("https://graph.microsoft.com/.default");
    expect(imdsStatuses("https://graph.microsoft.com")).toEqual([500, 200]);
  });

  it("ARM 429 with Retry-After is retried", async () => {
    await putFaults(emulator, { armTooManyRequests: { count: 1, retryAfterSeconds: 0 } });
    const client = new ResourceManagementClient(credential, SUBSCRIPTION_ID, clientOptionsFor(emulator));
    const group = await client.resourceGroups.get("rg-msi-samples");
    expect(group.name).toBe("rg-msi-samples");
    const statuses = emulator
      .requests()
      .filter((e) => e.service === "arm")
      .map((e) => e.status);
    expect(statuses).toEqual([429, 200]);
  });

  it("shows, rejects and clears faults through the admin endpoint", async () => {
    await putFaults(emulator, { latencyMs: 5 });
    const shown = (await (await fetch(`${emulator.adminUrl}/faults`)).json()) as { latencyMs?: number };
    expect(shown.latencyMs).toBe(5);
    const bad = await putFaults(emulator, { imdsGoneForSeconds: "soon" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain(
      "imdsGoneForSeconds",
    );
    expect(
      (
        await fetch(`${emulator.adminUrl}/faults`, {
          method: "DELETE",
          headers: { "x-msi-emulator-token": emulator.adminToken },
        })
      ).status,
    ).toBe(204);
    const log = (await (await fetch(`${emulator.adminUrl}/requests`)).json()) as { requests: unknown[] };
    expect(log.requests.length).toBeGreaterThan(0);
  });
});

// The conformance suite: requests recorded by the Azure SDK for JS live tests against real Azure (kept in
// test/replay/recordings, sources in its README) are replayed against the emulator, and every difference in status,
// headers that matter and response JSON must be one of the known differences below, each with its reason. The pass
// rate per service (entries answered exactly as Azure did) is printed and kept in the emulator README.
const WORLD: ReplayWorld = { subscriptionId: SUBSCRIPTION_ID, tenantId: TENANT_ID, vaultName: "kv-replay" };
const RECORDINGS = readdirSync(RECORDINGS_DIR)
  .filter((file) => file.endsWith(".json"))
  .sort();

describe("replaying Azure's recorded traffic", () => {
  let emulator: Emulator;
  const results: EntryResult[] = [];

  beforeAll(async () => {
    emulator = await startEmulator();
    await createReplayVault(emulator, WORLD, SYSTEM_PRINCIPAL_ID);
    for (const file of RECORDINGS) results.push(...(await replayRecording(emulator, file, WORLD)));
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  it("answers every recorded request as Azure did, apart from the known differences", () => {
    const unexplained = results.flatMap((result) =>
      result.mismatches
        .filter((m) => !KNOWN_DIFFERENCES.some((k) => k.entry === result.entry && k.mismatch === m))
        .map((m) => `${result.entry} (${result.request}): ${m}`),
    );
    expect(unexplained).toEqual([]);
  });

  it("still shows every known difference (a fixed one leaves the list)", () => {
    const stale = KNOWN_DIFFERENCES.filter(
      (known) => !results.some((r) => r.entry === known.entry && r.mismatches.includes(known.mismatch)),
    ).map((known) => `${known.entry}: ${known.mismatch}`);
    expect(stale).toEqual([]);
  });

  it("reports the pass rate per service", () => {
    const services = [...new Set(results.map((r) => r.service))].sort();
    const rates = services.map((service) => {
      const entries = results.filter((r) => r.service === service);
      const passed = entries.filter((r) => r.mismatches.length === 0).length;
      return `${service}: ${passed}/${entries.length}`;
    });
    console.log(`Replay pass rate (entries answered exactly as Azure did):\n  ${rates.join("\n  ")}`);
    expect(results.length).toBeGreaterThan(0);
  });
});
