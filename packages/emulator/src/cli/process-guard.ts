// The last line of defence of a long-running emulator process: an error that escaped every handler is logged to stderr
// and the emulator goes on serving, instead of the process ending and taking every client's connection with it.

let installed = false;

/** Installs process-wide handlers for uncaught exceptions and unhandled rejections (once per process). */
export function keepServingThroughUncaughtErrors(): void {
  if (installed) return;
  installed = true;
  const report = (kind: string) => (error: unknown) => {
    const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`msi-emulator: ${kind}, still serving: ${text}\n`);
  };
  process.on("uncaughtException", report("uncaught exception"));
  process.on("unhandledRejection", report("unhandled rejection"));
}
