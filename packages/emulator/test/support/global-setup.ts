// vitest globalSetup: creates (or reuses) the emulator's CA in a fixed test home before any worker starts, and
// exports NODE_EXTRA_CA_CERTS and MSI_EMULATOR_HOME so every worker process trusts the emulator from its first line
// (and NODE_COMPILE_CACHE, which Node also reads only at start).
import path from "node:path";
import { TokenService } from "../../src/auth/tokens.ts";
import { loadOrCreateCertificateAuthority } from "../../src/tls/certificate-authority.ts";

/** <repo>/.emulator/test-home (git-ignored), shared by every test run on this machine. */
export const TEST_HOME = path.resolve(import.meta.dirname, "../../../../.emulator/test-home");

/** <repo>/.emulator/node-compile-cache (git-ignored): Node's compiled modules, kept across processes and runs. */
const COMPILE_CACHE = path.resolve(import.meta.dirname, "../../../../.emulator/node-compile-cache");

export default async function setup(): Promise<void> {
  const home = process.env.MSI_EMULATOR_TEST_HOME ?? TEST_HOME;
  const ca = await loadOrCreateCertificateAuthority(home);
  await TokenService.fromHome(home);
  process.env.MSI_EMULATOR_HOME = home;
  // The CA the run started with (a corporate or sandbox CA npm may need), for tests whose child processes reach the
  // package registry: they put it back, as a user's own shell would have it.
  process.env.OUTER_NODE_EXTRA_CA_CERTS ??= process.env.NODE_EXTRA_CA_CERTS ?? "";
  process.env.NODE_EXTRA_CA_CERTS = ca.certPath;
  // Every Node process of the run (workers, the emulator CLI, samples, npx) compiles the same modules; with Node's
  // compile cache they are compiled once, which takes about 40 % off each start of the CLI.
  process.env.NODE_COMPILE_CACHE ??= COMPILE_CACHE;
}
