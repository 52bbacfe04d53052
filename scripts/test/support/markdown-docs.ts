// Reading the repository's docs for the docs tests: its Markdown files, the relative links in them, the headings a
// link's #anchor can name (GitHub's slugs), and the snippet markers in the samples.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/** Folders that hold no docs of the repository's own: installed packages, generated output, git. */
const skippedFolders = new Set(["node_modules", ".git", ".emulator", "exported", "dist", "coverage"]);

/** Every file under `root` (skipping skippedFolders) whose name passes `keep`, as absolute paths. */
export function filesUnder(root: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!skippedFolders.has(entry.name)) found.push(...filesUnder(path.join(root, entry.name), keep));
    } else if (entry.isFile() && keep(entry.name)) {
      found.push(path.join(root, entry.name));
    }
  }
  return found.sort();
}

export interface MarkdownLink {
  target: string;
  line: number;
}

/** The text outside fenced code blocks and inline code, line by line (code shows links, it does not make them). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      return "";
    }
    return fenced ? "" : line.replace(/`[^`]*`/g, "");
  });
}

/** Inline links and images `[text](target)` and reference definitions `[name]: target`, with their line numbers. */
export function linksIn(markdown: string): MarkdownLink[] {
  const links: MarkdownLink[] = [];
  proseLines(markdown).forEach((text, index) => {
    for (const match of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
      links.push({ target: match[1] ?? "", line: index + 1 });
    }
    const definition = /^\s*\[[^\]]+\]:\s*<?(\S+?)>?(\s|$)/.exec(text);
    if (definition) links.push({ target: definition[1] ?? "", line: index + 1 });
  });
  return links;
}

/** Whether a link leaves the repository: a URL with a scheme (https:, mailto:) or a protocol-relative one. */
export function isExternal(target: string): boolean {
  return /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith("//");
}

/** The anchors GitHub gives a Markdown file's headings: lower case, punctuation dropped, spaces as '-', -1 for repeats. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const base = heading
      .replace(/<[^>]+>/g, "")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1] ?? "");
  return anchors;
}

/** Why `anchor` does not land in `file` (a heading of a Markdown file, or lines L10 / L10-L20 of any file), or undefined. */
export function anchorProblem(file: string, anchor: string): string | undefined {
  const text = readFileSync(file, "utf8");
  const lines = /^L(\d+)(?:-L(\d+))?$/.exec(anchor);
  if (lines) {
    const count = text.endsWith("\n") ? text.split("\n").length - 1 : text.split("\n").length;
    const last = Number(lines[2] ?? lines[1]);
    return Number(lines[1]) >= 1 && last <= count && Number(lines[1]) <= last
      ? undefined
      : `lines ${anchor} are outside the file's ${count} lines`;
  }
  if (!file.endsWith(".md"))
    return `#${anchor} names no lines (#L10 or #L10-L20) of a file that is not Markdown`;
  return headingAnchors(text).has(decodeURIComponent(anchor).toLowerCase())
    ? undefined
    : `no heading #${anchor}`;
}

/** Why a relative link from `fromFile` does not resolve, or undefined when it does. */
export function linkProblem(fromFile: string, target: string): string | undefined {
  const [pathPart = "", anchor] = target.split("#", 2);
  const file =
    pathPart === "" ? fromFile : path.resolve(path.dirname(fromFile), decodeURIComponent(pathPart));
  try {
    readdirSync(file);
    return anchor ? `#${anchor} on a folder` : undefined;
  } catch {
    // not a folder: a file, or nothing
  }
  try {
    readFileSync(file);
  } catch {
    return `${path.relative(path.dirname(fromFile), file) || file} does not exist`;
  }
  return anchor ? anchorProblem(file, anchor) : undefined;
}

export interface SnippetMarker {
  name: string;
  closing: boolean;
  line: number;
}

/** The `// <snippet_x>` and `// </snippet_x>` markers of a source file. */
export function snippetMarkers(source: string): SnippetMarker[] {
  const markers: SnippetMarker[] = [];
  source.split("\n").forEach((text, index) => {
    const match = /^\s*\/\/\s*<(\/?)(snippet_[A-Za-z0-9_]*)>\s*$/.exec(text);
    if (match) markers.push({ name: match[2] ?? "", closing: match[1] === "/", line: index + 1 });
  });
  return markers;
}

/** What is wrong with a file's markers: unbalanced, nested in themselves, used twice, or not in the vocabulary. */
export function markerProblems(source: string, vocabulary: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const open = new Map<string, number>();
  const used = new Set<string>();
  for (const { name, closing, line } of snippetMarkers(source)) {
    if (!vocabulary.has(name)) problems.push(`line ${line}: ${name} is not in docs/snippets.md`);
    if (!closing) {
      if (open.has(name)) problems.push(`line ${line}: ${name} opened again before it was closed`);
      if (used.has(name)) problems.push(`line ${line}: ${name} is used twice in this file`);
      open.set(name, line);
      used.add(name);
    } else if (!open.delete(name)) {
      problems.push(`line ${line}: </${name}> closes nothing`);
    }
  }
  for (const [name, line] of open) problems.push(`line ${line}: <${name}> is never closed`);
  return problems;
}

/** The snippet names docs/snippets.md lists (its table's first column). */
export function snippetVocabulary(snippetsPage: string): Set<string> {
  return new Set(
    [...snippetsPage.matchAll(/^\|\s*`(snippet_[A-Za-z0-9_]+)`\s*\|/gm)].map((match) => match[1] ?? ""),
  );
}
