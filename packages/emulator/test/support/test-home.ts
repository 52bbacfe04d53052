// A home of a test's own holding the test CA and signing key (so programs trusting NODE_EXTRA_CA_CERTS trust it),
// for `start`s that must not meet other tests' emulators in the shared test home.
import { copyFile, mkdir } from "node:fs/promises";
import path from "node:path";

const KEY_FILES = ["ca.pem", "ca-key.pem", "token-signing-key.pem"];

/** Creates `home` (0700) with copies of the test home's CA and signing key; returns it. */
export async function homeWithTestKeys(home: string): Promise<string> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  for (const file of KEY_FILES)
    await copyFile(path.join(process.env.MSI_EMULATOR_HOME ?? "", file), path.join(home, file));
  return home;
}
