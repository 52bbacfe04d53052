// The exporter's translations: catalog references to npm ranges (and what it refuses), repository URLs to links,
// and the parts of a sample's README the export's README reuses.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readSampleReadme } from "../export/export-readme.ts";
import { browsableRepositoryUrl } from "../export/source-reference.ts";
import { npmRangeFor, readWorkspaceCatalog } from "../export/workspace-catalog.ts";

describe("workspace catalog", () => {
  it("reads the repository's catalog, quoted and bare names alike", async () => {
    const catalog = await readWorkspaceCatalog();
    expect(catalog.get("@azure/identity")).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(catalog.get("tsx")).toMatch(/^\^\d+\.\d+\.\d+$/);
    expect(catalog.has("allowBuilds")).toBe(false);
  });

  it("turns catalog: into the catalog's range and refuses what npm cannot install", () => {
    const catalog = new Map([["jose", "^6.2.18"]]);
    expect(npmRangeFor("jose", "catalog:", catalog)).toBe("^6.2.18");
    expect(npmRangeFor("jose", "catalog:default", catalog)).toBe("^6.2.18");
    expect(npmRangeFor("zod", "^4.0.0", catalog)).toBe("^4.0.0");
    expect(() => npmRangeFor("zod", "catalog:", catalog)).toThrow(/no entry in the workspace catalog/);
    expect(() => npmRangeFor("x", "workspace:*", catalog)).toThrow(/no npm equivalent/);
    expect(() => npmRangeFor("x", "catalog:legacy", catalog)).toThrow(/no npm equivalent/);
  });

  it("reports a catalog line it cannot read, with its line number", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "export-sample-catalog-"));
    try {
      const file = path.join(dir, "pnpm-workspace.yaml");
      await writeFile(file, "packages:\n  - a/*\ncatalog:\n  ok: ^1.0.0\n  - not-a-map-entry\n");
      await expect(readWorkspaceCatalog(file)).rejects.toThrow(/pnpm-workspace\.yaml:5: cannot read/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("links back to the repository", () => {
  it.each([
    ["git@github.com:contoso/vm-msi.git", "https://github.com/contoso/vm-msi"],
    ["git+https://github.com/contoso/vm-msi.git", "https://github.com/contoso/vm-msi"],
    ["https://github.com/contoso/vm-msi", "https://github.com/contoso/vm-msi"],
    ["github:contoso/vm-msi", "https://github.com/contoso/vm-msi"],
  ])("%s → %s", (url, expected) => {
    expect(browsableRepositoryUrl(url)).toBe(expected);
  });

  it("gives no link for what is not a repository URL", () => {
    expect(browsableRepositoryUrl("/srv/git/vm-msi")).toBeUndefined();
  });
});

describe("the sample README's parts", () => {
  it("takes the title, the first paragraph and the Settings section, skipping front matter", () => {
    const parts = readSampleReadme(
      "---\npage_type: sample\n---\n\n# A sample (TypeScript)\n\nFirst line\nsecond line.\n\nMore.\n\n" +
        "## Settings\n\n| Flag | Env |\n| --- | --- |\n\nExit codes: 0.\n\n## Troubleshooting\n\nNo.\n",
      "a-sample",
    );
    expect(parts).toEqual({
      title: "A sample (TypeScript)",
      introduction: "First line\nsecond line.",
      settings: "| Flag | Env |\n| --- | --- |\n\nExit codes: 0.",
    });
  });

  it("falls back to the sample's name when there is no README", () => {
    expect(readSampleReadme("", "a-sample")).toEqual({
      title: "a-sample",
      introduction: undefined,
      settings: undefined,
    });
  });
});
