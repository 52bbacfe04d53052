// The docs are checked like code: every relative link of every Markdown file in the repository resolves (the file,
// the heading, the lines), and the samples' snippet markers are balanced, unique per file and from one vocabulary.
// Each check is also run against a broken example, so that it is known to fail when it should.
import { readFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "@msi-samples/sample-runner";
import { describe, expect, it } from "vitest";
import {
  filesUnder,
  isExternal,
  linkProblem,
  linksIn,
  markerProblems,
  snippetVocabulary,
} from "./support/markdown-docs.ts";

const vocabulary = snippetVocabulary(readFileSync(path.join(REPO_ROOT, "docs/snippets.md"), "utf8"));
const relative = (file: string) => path.relative(REPO_ROOT, file);

function brokenLinks(file: string, markdown: string): string[] {
  return linksIn(markdown)
    .filter((link) => !isExternal(link.target))
    .flatMap((link) => {
      const problem = linkProblem(file, link.target);
      return problem ? [`${relative(file)}:${link.line} (${link.target}): ${problem}`] : [];
    });
}

describe("every relative link in the repository's Markdown resolves", () => {
  const markdownFiles = filesUnder(REPO_ROOT, (name) => name.endsWith(".md"));

  it("finds the Markdown files", () => {
    expect(markdownFiles.map(relative)).toEqual(
      expect.arrayContaining(["README.md", "docs/snippets.md", "samples/list-resource-groups/README.md"]),
    );
  });

  it.each(markdownFiles.map((file) => [relative(file), file]))("%s", (_name, file) => {
    expect(brokenLinks(file, readFileSync(file, "utf8"))).toEqual([]);
  });

  it("reports a missing file, a missing heading and lines past the end", () => {
    const readme = path.join(REPO_ROOT, "samples/list-resource-groups/README.md");
    const broken = [
      "[gone](src/missing.ts)",
      "[no such heading](../../README.md#no-such-heading)",
      "[past the end](src/index.ts#L1-L99999)",
      "[fine](src/index.ts#L1)",
    ].join("\n");
    expect(brokenLinks(readme, broken)).toEqual([
      expect.stringContaining("src/missing.ts does not exist"),
      expect.stringContaining("no heading #no-such-heading"),
      expect.stringContaining("outside the file's"),
    ]);
  });
});

describe("the samples' snippet markers", () => {
  const sources = filesUnder(path.join(REPO_ROOT, "samples"), (name) => name.endsWith(".ts")).filter((file) =>
    relative(file).split(path.sep).includes("src"),
  );

  it.each(sources.map((file) => [relative(file), file]))(
    "%s: balanced, unique, from docs/snippets.md",
    (_n, file) => {
      expect(markerProblems(readFileSync(file, "utf8"), vocabulary)).toEqual([]);
    },
  );

  it("every sample shows its imports and its credential as snippets", () => {
    for (const file of sources.filter((source) => source.endsWith(`${path.sep}index.ts`))) {
      const source = readFileSync(file, "utf8");
      expect(source, relative(file)).toContain("// <snippet_imports>");
      expect(source, relative(file)).toContain("// <snippet_credential>");
    }
  });

  it("reports an unclosed marker, a repeated one and a name outside the vocabulary", () => {
    const broken = [
      "// <snippet_credential>",
      "// </snippet_credential>",
      "// <snippet_credential>",
      "// </snippet_credential>",
      "// <snippet_sign_in>",
      "// <snippet_imports>",
    ].join("\n");
    expect(markerProblems(broken, vocabulary)).toEqual([
      "line 3: snippet_credential is used twice in this file",
      "line 5: snippet_sign_in is not in docs/snippets.md",
      "line 5: <snippet_sign_in> is never closed",
      "line 6: <snippet_imports> is never closed",
    ]);
  });
});
