// Loads esbuild (the workspace catalog's version) for bundling and for checking an export's imports.
import { realpath } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { REPO_ROOT } from "./workspace.ts";

/** The part of esbuild's API the exporter uses (esbuild.github.io/api), typed here so no types need resolving. */
export interface Esbuild {
  version: string;
  build(options: Record<string, unknown>): Promise<EsbuildResult>;
}

export interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number } | null;
}

export interface EsbuildResult {
  errors: EsbuildMessage[];
  warnings: EsbuildMessage[];
  metafile?: {
    inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
    outputs: Record<string, { bytes: number }>;
  };
}

export interface EsbuildPlugin {
  name: string;
  setup(build: {
    onLoad(
      options: { filter: RegExp },
      callback: (args: { path: string }) => Promise<{ contents: string; loader: string } | undefined>,
    ): void;
  }): void;
}

/**
 * esbuild from the root's node_modules when it is a root dependency; otherwise the copy tsx (a root dependency)
 * runs on, which pnpm installs from the same catalog range.
 */
export async function loadEsbuild(): Promise<Esbuild> {
  const fromRoot = createRequire(path.join(REPO_ROOT, "package.json"));
  try {
    return fromRoot("esbuild") as Esbuild;
  } catch {
    const tsxDir = await realpath(path.join(REPO_ROOT, "node_modules/tsx"));
    return createRequire(path.join(tsxDir, "package.json"))("esbuild") as Esbuild;
  }
}

export function formatEsbuildMessages(messages: readonly EsbuildMessage[]): string {
  return messages
    .map(({ text, location }) =>
      location ? `${location.file}:${location.line}:${location.column}: ${text}` : text,
    )
    .join("\n");
}
