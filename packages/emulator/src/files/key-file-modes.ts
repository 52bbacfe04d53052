// Private keys in the emulator's home (the CA key, the token signing key) must be readable by their owner only: one
// that others can read is reported and made 0600 at start, since anyone holding it could mint tokens or certificates.
import { chmod, stat } from "node:fs/promises";

/** Makes `keyPath` 0600 if group or others have any access, saying so on stderr. */
export async function tightenKeyFileMode(keyPath: string): Promise<void> {
  if (process.platform === "win32") return;
  const mode = (await stat(keyPath)).mode & 0o777;
  if ((mode & 0o077) === 0) return;
  await chmod(keyPath, 0o600);
  process.stderr.write(
    `msi-emulator: warning: ${keyPath} was readable by others (mode ${mode.toString(8).padStart(4, "0")}); it is now 0600.\n`,
  );
}
