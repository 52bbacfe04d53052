// Workspace packages use each other by name (`@msi-samples/emulator`), never by a relative path into another
// package (its src/ or its tests' helpers): the package's `exports` is then its whole surface, and moving a file
// inside it breaks no one.
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readImportGraph } from "./import-graph.ts";

const REPO_ROOT = fileURLToPath(new URL("../../../../", import.meta.url));

/** "packages/emulator" for "packages/emulator/src/cli/msi-emulator.ts"; "." for a file of the root package (scripts/...). */
function packageOf(file: string): string {
  const [top, name] = file.split("/");
  return top === "packages" || top === "samples" ? `${top}/${name}` : ".";
}

/** The root's scripts that a package's tests may still use by path: the one way to start the dashboard's browser. */
const SHARED_WITH_THE_ROOT = ["scripts/lib/chromium-browser.ts"];

describe("imports between workspace packages", () => {
  it("never reach into another package by a relative path, from its sources or its tests", async () => {
    const { files, edges } = await readImportGraph(REPO_ROOT, ["packages", "samples", "scripts"]);
    expect(files).toContain("packages/emulator/src/index.ts");
    expect(files).toContain("packages/emulator/test/layering/packages-imported-by-name.test.ts");
    const intoOtherPackages = edges
      .filter(
        (edge) => packageOf(edge.to) !== packageOf(edge.from) && !SHARED_WITH_THE_ROOT.includes(edge.to),
      )
      .map((edge) => `${edge.from} -> ${edge.to}: import it by the package's name`);
    expect(intoOtherPackages).toEqual([]);
  });
});
