// `pnpm bench:state`: Key Vault secret writes per second with `--state` on an empty world and on one holding 10,000
// secrets (a write's cost should not grow with the world), then read rates: IMDS token, ARM GET and Key Vault GET.
// Each client keeps one connection (through a CONNECT tunnel for HTTPS), as a load tool does. A benchmark: it reports.
import { mkdtemp, readFile, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import { parseArgs } from "node:util";
import { type Emulator, findBuiltInRole, startEmulator } from "@msi-samples/emulator";

const usage = `Measures secret writes/s with --state on an empty world and with N stored secrets, and read rates.

Usage: pnpm bench:state [--seconds S] [--clients C] [--secrets N] [--json]
  --seconds S   length of each measurement (default 5)
  --clients C   concurrent clients, one connection each (default 8)
  --secrets N   secrets stored before the second write measurement (default 10000)
  --json        print the figures as JSON`;

const VAULT = "kv-msi-samples";
const VAULT_HOST = `${VAULT}.vault.azure.net`;
const SUBSCRIPTION_PATH = "/subscriptions/3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37";

/** One keep-alive HTTP/1.1 connection: a request is sent when the previous answer has arrived. */
class Connection {
  readonly #socket: net.Socket | tls.TLSSocket;
  #buffer = Buffer.alloc(0);
  #waiting: { resolve: (status: number) => void; reject: (error: Error) => void } | undefined;

  constructor(socket: net.Socket | tls.TLSSocket) {
    this.#socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#buffer = Buffer.concat([this.#buffer, chunk]);
      this.#deliver();
    });
    socket.on("error", (error) => this.#waiting?.reject(error));
    socket.on("close", () => this.#waiting?.reject(new Error("connection closed")));
  }

  request(bytes: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(bytes);
    });
  }

  close(): void {
    this.#socket.destroy();
  }

  #deliver(): void {
    const end = this.#buffer.indexOf("\r\n\r\n");
    if (end < 0 || !this.#waiting) return;
    const head = this.#buffer.subarray(0, end).toString("latin1");
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.#buffer.length < end + 4 + length) return;
    this.#buffer = this.#buffer.subarray(end + 4 + length);
    const { resolve } = this.#waiting;
    this.#waiting = undefined;
    resolve(Number(head.slice(9, 12)));
  }
}

async function connectPlain(port: number): Promise<Connection> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  return new Connection(socket);
}

async function connectTls(port: number, host: string, ca: string): Promise<Connection> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(`CONNECT ${host}:443 HTTP/1.1\r\nHost: ${host}:443\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    socket.once("data", (chunk: Buffer) =>
      /^HTTP\/1\.1 200/.test(chunk.toString("latin1")) ? resolve() : reject(new Error(chunk.toString())),
    );
  });
  const secure = tls.connect({ socket, servername: host, ca });
  await new Promise((resolve, reject) => secure.once("secureConnect", resolve).once("error", reject));
  return new Connection(secure);
}

/** Runs `clients` loops of `send` for `seconds`; returns requests per second (failing if any answer is unexpected). */
async function rate(
  clients: Connection[],
  seconds: number,
  send: (connection: Connection, client: number, index: number) => Promise<number>,
  expected: number,
): Promise<number> {
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  let count = 0;
  await Promise.all(
    clients.map(async (connection, client) => {
      for (let i = 0; performance.now() < until; i++) {
        const status = await send(connection, client, i);
        if (status !== expected) throw new Error(`expected ${expected}, got ${status}`);
        count++;
      }
    }),
  );
  return count / ((performance.now() - started) / 1000);
}

function putSecret(token: string, name: string): string {
  const body = JSON.stringify({ value: `value of ${name}` });
  return `PUT /secrets/${name}?api-version=2026-04-01 HTTP/1.1\r\nHost: ${VAULT_HOST}\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      clients: { type: "string", default: "8" },
      secrets: { type: "string", default: "10000" },
      json: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const seconds = Number(values.seconds);
  const clientCount = Number(values.clients);
  const secretCount = Number(values.secrets);
  const dir = await mkdtemp(path.join(os.tmpdir(), "msi-emulator-bench-state-"));
  let emulator: Emulator | undefined;
  try {
    emulator = await startEmulator({
      ...(process.env.BENCH_NO_STATE ? {} : { statePath: path.join(dir, "world.db") }),
      home: path.join(dir, "home"),
    });
    const running = emulator;
    running.world.addRoleAssignment({
      name: "0b7d3f1e-5a2c-4e8b-9d6f-1c3e5a7b9d0f",
      principalId: running.world.resolvePrincipal("system") ?? "",
      principalType: "ServicePrincipal",
      roleDefinitionId: findBuiltInRole("Key Vault Secrets Officer")?.id ?? "",
      scope: `${SUBSCRIPTION_PATH}/resourceGroups/rg-msi-samples/providers/Microsoft.KeyVault/vaults/${VAULT}`,
      createdOn: new Date().toISOString(),
      updatedOn: new Date().toISOString(),
    });
    await running.world.commit();
    const ca = await readFile(running.caCertPath, "utf8");
    const vaultToken = await running.issueToken({ resource: "https://vault.azure.net" });
    const armToken = await running.issueToken({ resource: "https://management.azure.com" });
    const open = (host: string) =>
      Promise.all(Array.from({ length: clientCount }, () => connectTls(running.port, host, ca)));

    const vaultClients = await open(VAULT_HOST);
    const writesEmpty = await rate(
      vaultClients,
      seconds,
      (c, client, i) => c.request(putSecret(vaultToken, `empty-${client}-${i}`)),
      200,
    );
    // Fill the vault up to `secretCount` secrets, as fast as the clients go.
    let stored = Math.ceil(writesEmpty * seconds);
    const fillStarted = performance.now();
    await Promise.all(
      vaultClients.map(async (c, client) => {
        for (let i = 0; stored < secretCount; i++) {
          stored++;
          const status = await c.request(putSecret(vaultToken, `fill-${client}-${i}`));
          if (status !== 200) throw new Error(`fill: ${status}`);
        }
      }),
    );
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const writesFull = await rate(
      vaultClients,
      seconds,
      (c, client, i) => c.request(putSecret(vaultToken, `full-${client}-${i}`)),
      200,
    );
    const vaultReads = await rate(
      vaultClients,
      seconds,
      (c) =>
        c.request(
          `GET /secrets/sample-secret/?api-version=2026-04-01 HTTP/1.1\r\nHost: ${VAULT_HOST}\r\nAuthorization: Bearer ${vaultToken}\r\n\r\n`,
        ),
      200,
    );
    for (const c of vaultClients) c.close();

    const armClients = await open("management.azure.com");
    const armReads = await rate(
      armClients,
      seconds,
      (c) =>
        c.request(
          `GET ${SUBSCRIPTION_PATH}/resourcegroups/rg-msi-samples?api-version=2025-04-01 HTTP/1.1\r\nHost: management.azure.com\r\nAuthorization: Bearer ${armToken}\r\n\r\n`,
        ),
      200,
    );
    for (const c of armClients) c.close();

    const imdsClients = await Promise.all(
      Array.from({ length: clientCount }, () => connectPlain(running.port)),
    );
    const imdsReads = await rate(
      imdsClients,
      seconds,
      (c) =>
        c.request(
          "GET http://169.254.169.254/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com HTTP/1.1\r\nHost: 169.254.169.254\r\nMetadata: true\r\n\r\n",
        ),
      200,
    );
    for (const c of imdsClients) c.close();

    const figures = {
      clients: clientCount,
      seconds,
      secretWritesPerSecond: {
        emptyWorld: Math.round(writesEmpty),
        [`with${secretCount}Secrets`]: Math.round(writesFull),
      },
      fullToEmptyRatio: Math.round((writesFull / writesEmpty) * 100) / 100,
      secretsStoredBeforeSecondRun: stored,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      readsPerSecond: {
        imdsToken: Math.round(imdsReads),
        armGet: Math.round(armReads),
        keyVaultGet: Math.round(vaultReads),
      },
    };
    if (values.json) {
      console.log(JSON.stringify(figures, null, 2));
      return;
    }
    console.log(`${clientCount} clients, ${seconds} s per figure, --state on (SQLite)`);
    console.log(`secret writes/s, empty world:          ${figures.secretWritesPerSecond.emptyWorld}`);
    console.log(
      `secret writes/s, ${stored} secrets stored: ${Math.round(writesFull)}  (ratio ${figures.fullToEmptyRatio})`,
    );
    console.log(`IMDS token reads/s:                    ${figures.readsPerSecond.imdsToken}`);
    console.log(`ARM GET reads/s:                       ${figures.readsPerSecond.armGet}`);
    console.log(`Key Vault GET reads/s:                 ${figures.readsPerSecond.keyVaultGet}`);
  } finally {
    await emulator?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench:state: ${(error as Error).message}`);
  process.exit(1);
});
