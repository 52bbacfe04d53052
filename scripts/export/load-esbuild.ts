// esbuild (a root dev dependency, the catalog's version) for bundling and for checking an export's imports.
import * as esbuild from "esbuild";

export type Esbuild = typeof esbuild;
export type EsbuildMessage = esbuild.Message;
export type EsbuildPlugin = esbuild.Plugin;

/** Kept async so callers can start it alongside other work; esbuild's API is ready once imported. */
export async function loadEsbuild(): Promise<Esbuild> {
  return esbuild;
}

export function formatEsbuildMessages(messages: readonly EsbuildMessage[]): string {
  return messages
    .map(({ text, location }) =>
      location ? `${location.file}:${location.line}:${location.column}: ${text}` : text,
    )
    .join("\n");
}
