// The environment `env`, `exec` and `start` hand to a shell or a program: the emulator's variables with the user's own
// trust settings chained in (a corporate CA keeps working), the values to restore, and the undo (`env --unset`).
import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { buildEnvironment } from "../clients/client-environment.ts";
import { writeFileAtomically } from "../files/atomic-file.ts";

/** Variables through which tools learn whom to trust; a value the user already has is chained, never replaced. */
const TRUST_VARIABLES = ["NODE_EXTRA_CA_CERTS", "SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"];
/** Set while a shell has the emulator's environment: the home it came from. */
const ACTIVE_MARKER = "MSI_EMULATOR_ENV";
/** MSI_EMULATOR_SAVED_<NAME> holds the value <NAME> had before, for `env --unset`. */
const SAVED_PREFIX = "MSI_EMULATOR_SAVED_";

/** Every variable `env` sets or removes (the same for every emulator), for the undo. */
const EMULATOR_VARIABLES = Object.keys(buildEnvironment({ proxyUrl: "", caCertPath: "", caBundlePath: "" }));

export interface ShellEnvironment {
  set: Record<string, string>;
  unset: string[];
}

/**
 * The emulator's environment for a shell whose variables are `userEnv`. Trust the user set up is kept: their
 * NODE_EXTRA_CA_CERTS is chained with the emulator's CA, and their bundles (SSL_CERT_FILE, REQUESTS_CA_BUNDLE,
 * CURL_CA_BUNDLE) are added to the emulator's bundle of system CAs. Values it replaces are saved for `--unset`.
 * Applied twice in one shell, it starts again from the saved values, so nothing is chained into itself.
 */
export async function shellEnvironment(options: {
  emulatorEnv: Record<string, string>;
  unsetEnv: readonly string[];
  home: string;
  caCertPath: string;
  caBundlePath: string;
  userEnv: NodeJS.ProcessEnv;
}): Promise<ShellEnvironment> {
  const { emulatorEnv, userEnv } = options;
  const names = [...new Set([...Object.keys(emulatorEnv), ...options.unsetEnv])];
  const alreadyActive = userEnv[ACTIVE_MARKER] !== undefined;
  const original = (name: string) =>
    alreadyActive ? userEnv[`${SAVED_PREFIX}${name}`] : (userEnv[name] ?? undefined);

  const set: Record<string, string> = { ...emulatorEnv };
  const unset = [...options.unsetEnv];
  const userTrustFiles = [
    ...new Set(TRUST_VARIABLES.map(original).filter((file): file is string => Boolean(file))),
  ];
  if (userTrustFiles.length > 0) {
    const userPems = await Promise.all(userTrustFiles.map((file) => readPem(file)));
    const caPem = await readFile(options.caCertPath, "utf8");
    const nodeExtra = original("NODE_EXTRA_CA_CERTS");
    if (nodeExtra) {
      const pem = userPems[userTrustFiles.indexOf(nodeExtra)] ?? "";
      set.NODE_EXTRA_CA_CERTS = await writeTrustFile(options.home, `${pem}\n${caPem}`);
    }
    // The emulator's bundle is the system CAs plus its own CA; the user's bundles may hold CAs the system lacks.
    const bundle = [await readFile(options.caBundlePath, "utf8"), ...userPems].join("\n");
    const bundlePath = await writeTrustFile(options.home, bundle);
    for (const name of ["SSL_CERT_FILE", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"]) set[name] = bundlePath;
  }

  set[ACTIVE_MARKER] = options.home;
  for (const name of names) {
    const value = original(name);
    if (value !== undefined && value !== "") set[`${SAVED_PREFIX}${name}`] = value;
    else if (userEnv[`${SAVED_PREFIX}${name}`] !== undefined) unset.push(`${SAVED_PREFIX}${name}`);
  }
  return { set, unset };
}

/** What `env --unset` prints: every variable back to what it was before `env` (or unset), and the markers removed. */
export function undoShellEnvironment(
  userEnv: NodeJS.ProcessEnv,
  unsetEnv: readonly string[],
): ShellEnvironment {
  const set: Record<string, string> = {};
  const unset: string[] = [];
  if (userEnv[ACTIVE_MARKER] === undefined) return { set, unset };
  for (const name of new Set([...EMULATOR_VARIABLES, ...unsetEnv])) {
    const saved = userEnv[`${SAVED_PREFIX}${name}`];
    if (saved !== undefined) {
      set[name] = saved;
      unset.push(`${SAVED_PREFIX}${name}`);
    } else unset.push(name);
  }
  unset.push(ACTIVE_MARKER);
  return { set, unset };
}

async function readPem(file: string): Promise<string> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (error) {
    throw new TrustFileError(file, (error as NodeJS.ErrnoException).code ?? String(error));
  }
}

/** A trust file the user's environment names cannot be read: chaining it would silently drop their CAs. */
export class TrustFileError extends Error {
  constructor(file: string, reason: string) {
    super(
      `Cannot read the CA file '${file}' your environment names (${reason}). Fix or unset that variable (NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE or CURL_CA_BUNDLE), then try again.`,
    );
    this.name = "TrustFileError";
  }
}

/** `<home>/trust/<hash>.pem`, named by content: the same chain is written once, and shells never share a mutable file. */
async function writeTrustFile(home: string, content: string): Promise<string> {
  const directory = path.join(home, "trust");
  await mkdir(directory, { recursive: true });
  const file = path.join(directory, `${createHash("sha256").update(content).digest("hex").slice(0, 16)}.pem`);
  const existing = await readFile(file, "utf8").catch(() => undefined);
  if (existing !== content) await writeFileAtomically(file, content);
  return file;
}
