// The environment that sends an unmodified Azure program to the emulator: proxy variables, trust for its CA
// (Node: NODE_EXTRA_CA_CERTS; Python, the Azure CLI and curl: a bundle of the system CAs plus the emulator's CA).
import { readFile } from "node:fs/promises";
import path from "node:path";
import tls from "node:tls";
import { writeFileAtomically } from "../files/atomic-file.ts";

const CA_BUNDLE_FILE = "ca-bundle.pem";
const SYSTEM_CA_FILE = "/etc/ssl/certs/ca-certificates.crt";

/**
 * Variables that would send managed identity somewhere other than IMDS (App Service, Arc, Cloud Shell, pod identity)
 * or add a second proxy setting; `exec` removes them and `env` prints them as unset.
 */
export const CONFLICTING_ENV = [
  "IDENTITY_ENDPOINT",
  "IDENTITY_HEADER",
  "IDENTITY_SERVER_THUMBPRINT",
  "IMDS_ENDPOINT",
  "MSI_ENDPOINT",
  "MSI_SECRET",
  "AZURE_POD_IDENTITY_AUTHORITY_HOST",
  "ALL_PROXY",
  "all_proxy",
] as const;

/**
 * NO_PROXY replaces any the user has (a VM behind a corporate proxy often sets NO_PROXY=169.254.169.254, which
 * would send IMDS past the emulator): only loopback is bypassed, never an emulated host.
 */
export const EMULATOR_NO_PROXY = "localhost,127.0.0.1,::1";

export function buildEnvironment(options: {
  proxyUrl: string;
  caCertPath: string;
  caBundlePath: string;
}): Record<string, string> {
  return {
    HTTPS_PROXY: options.proxyUrl,
    https_proxy: options.proxyUrl,
    HTTP_PROXY: options.proxyUrl,
    http_proxy: options.proxyUrl,
    NO_PROXY: EMULATOR_NO_PROXY,
    no_proxy: EMULATOR_NO_PROXY,
    NODE_EXTRA_CA_CERTS: options.caCertPath,
    REQUESTS_CA_BUNDLE: options.caBundlePath,
    SSL_CERT_FILE: options.caBundlePath,
    // Debian's curl reads CURL_CA_BUNDLE, not SSL_CERT_FILE.
    CURL_CA_BUNDLE: options.caBundlePath,
  };
}

/** Writes `home/ca-bundle.pem`: the system's CAs (so other HTTPS keeps working) followed by the emulator's CA. */
export async function writeCaBundle(home: string, caCertPem: string): Promise<string> {
  let system: string;
  try {
    system = await readFile(SYSTEM_CA_FILE, "utf8");
  } catch {
    system = tls.rootCertificates.join("\n");
  }
  const bundlePath = path.join(home, CA_BUNDLE_FILE);
  const content = `${system.trimEnd()}\n\n# msi-emulator local CA\n${caCertPem.trimEnd()}\n`;
  // Skip the write when unchanged: many emulators in one test run share the home.
  const existing = await readFile(bundlePath, "utf8").catch(() => undefined);
  if (existing !== content) await writeFileAtomically(bundlePath, content);
  return bundlePath;
}

/** Shell syntax for the environment: `export X='v'` (bash) or `$env:X = 'v'` (PowerShell). */
export function formatEnvironment(
  env: Record<string, string>,
  unset: readonly string[],
  shell: "bash" | "powershell",
): string {
  const quoteBash = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;
  const quotePwsh = (value: string) => `'${value.replaceAll("'", "''")}'`;
  const lines: string[] = [];
  for (const name of unset) {
    lines.push(shell === "bash" ? `unset ${name}` : `Remove-Item Env:${name} -ErrorAction SilentlyContinue`);
  }
  for (const [name, value] of Object.entries(env)) {
    // PowerShell's environment is case-insensitive on Windows: setting https_proxy after HTTPS_PROXY is harmless.
    lines.push(
      shell === "bash" ? `export ${name}=${quoteBash(value)}` : `$env:${name} = ${quotePwsh(value)}`,
    );
  }
  return `${lines.join("\n")}\n`;
}
