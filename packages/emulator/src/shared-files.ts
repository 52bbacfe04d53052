// Where the shared fixtures (scenarios and their schema, ARM templates) are: `shared/` inside the installed package
// when it runs as packed JavaScript (dist/ sits next to it), else `shared/` at the repository root (running from src/).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export function sharedPath(relative: string): string {
  const packaged = fileURLToPath(new URL(`../shared/${relative}`, import.meta.url));
  if (existsSync(packaged)) return packaged;
  return fileURLToPath(new URL(`../../../shared/${relative}`, import.meta.url));
}
