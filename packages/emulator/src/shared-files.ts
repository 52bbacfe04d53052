// Where the shared fixtures (scenarios and their schema, ARM templates) are: `shared/` at the repository root when the
// emulator runs from its TypeScript sources (src/), else `shared/` inside the installed package, next to dist/ (packed
// JavaScript). Decided by what is running, not by which folder exists: `pnpm pack` creates packages/emulator/shared/
// for a moment, and an emulator running from src/ meanwhile must not pick up that half-copied folder.
import { fileURLToPath } from "node:url";

const runningFromSource = import.meta.url.endsWith(".ts");

export function sharedPath(relative: string): string {
  const root = runningFromSource ? "../../../shared/" : "../shared/";
  return fileURLToPath(new URL(`${root}${relative}`, import.meta.url));
}
