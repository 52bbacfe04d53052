// One proxy port per test file, for files whose ManagedIdentityCredentials meet more than one emulator: msal-node
// keeps a process's first IMDS client, and with it the first credential's proxy, for the process's lifetime
// (packages/emulator/README.md), so every later emulator of the file must listen where the first one did.
import { type Emulator, type StartEmulatorOptions, startEmulator } from "../../src/index.ts";

let port = 0;

/** The port this file's emulators listen on: 0 (any free one) until the first has started. */
export function fileProxyPort(): number {
  return port;
}

/** Records where the file's first emulator listens (a later call with another port is a test's own choice). */
export function keepFileProxyPort(started: number): void {
  if (port === 0) port = started;
}

/** startEmulator on the file's port; only one such emulator may run at a time. */
export async function startEmulatorOnFilePort(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const emulator = await startEmulator({ ...options, port });
  keepFileProxyPort(emulator.port);
  return emulator;
}
