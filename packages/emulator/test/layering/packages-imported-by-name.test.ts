// Workspace packages use each other by name (`@msi-samples/emulator`), never by a relative path into another
// package's src/: the package's `exports` is then its whole surface, and moving a file inside it breaks no one.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readImportGraph } from "./import-graph.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** "packages/emulator" for "packages/emulator/src/cli/msi-emulator.ts"; "." for a file of the root package (scripts/...). */
function packageOf(file: string): string {
  const [top, name] = file.split("/");
  return top === "packages" || top === "samples" ? `${top}/${name}` : ".";
}

describe("imports between workspace packages", () => {
  it("never reach into another package's src/ by a relative path", async () => {
    const { files, edges } = await readImportGraph(REPO_ROOT, ["packages", "samples", "scripts"]);
    expect(files).toContain("packages/emulator/src/index.ts");
    const intoOtherSources = edges
      .filter(
        (edge) => /^packages\/[^/]+\/src\//.test(edge.to) && packageOf(edge.to) !== packageOf(edge.from),
      )
      .map((edge) => `${edge.from} -> ${edge.to}: import it by the package's name`);
    expect(intoOtherSources).toEqual([]);
  });
});
