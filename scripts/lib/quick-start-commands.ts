// The form of every repository command the scripts print, as someone who did only the Quick start can run it: Node.js
// and npm, with the pinned pnpm (package.json `packageManager`) run through npx, never a pnpm on PATH.
import { readFileSync } from "node:fs";

const { packageManager } = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as {
  packageManager: string;
};

/** `npx --yes pnpm@<version>`: put a script name or pnpm command after it. */
export const PNPM = `npx --yes ${packageManager}`;
