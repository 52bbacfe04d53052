// The short README of an exported sample: what it is, how to run it, where the full README is, and the settings
// table taken from the sample's own README.
import { linkToRepositoryFile, type SourceReference } from "./source-reference.ts";

export interface SampleReadmeParts {
  title: string;
  introduction: string | undefined;
  settings: string | undefined;
}

/** The title, the first paragraph after it, and the body of the "Settings" section of a sample's README. */
export function readSampleReadme(markdown: string, sampleName: string): SampleReadmeParts {
  const body = markdown.replace(/^---\r?\n[\s\S]*?\r?\n---\r?\n/, "");
  const lines = body.split(/\r?\n/);
  const titleIndex = lines.findIndex((line) => line.startsWith("# "));
  const title = titleIndex === -1 ? sampleName : (lines[titleIndex] ?? "").slice(2).trim();
  const afterTitle = lines.slice(titleIndex + 1);
  const firstText = afterTitle.findIndex((line) => line.trim() !== "");
  let introduction: string | undefined;
  if (firstText !== -1 && !afterTitle[firstText]?.startsWith("#")) {
    const paragraph = afterTitle.slice(firstText);
    const end = paragraph.findIndex((line) => line.trim() === "");
    introduction = paragraph.slice(0, end === -1 ? undefined : end).join("\n");
  }
  const settingsStart = lines.findIndex((line) => /^##\s+Settings\s*$/.test(line));
  let settings: string | undefined;
  if (settingsStart !== -1) {
    const rest = lines.slice(settingsStart + 1);
    const end = rest.findIndex((line) => /^##?\s/.test(line));
    settings = rest
      .slice(0, end === -1 ? undefined : end)
      .join("\n")
      .trim();
  }
  return { title, introduction, settings };
}

export interface ExportReadmeOptions {
  sampleName: string;
  parts: SampleReadmeParts;
  source: SourceReference;
  /** Files the sample reads at run time, relative to the export's folder. */
  assets: readonly string[];
  form: { kind: "package" } | { kind: "bundle"; file: string };
}

function originSentence({ sampleName, source }: ExportReadmeOptions): string {
  const samplePath = `samples/${sampleName}`;
  const repository = source.repositoryUrl
    ? `[vm-managed-identity-samples](${source.repositoryUrl})`
    : "the vm-managed-identity-samples repository";
  const commit = source.commit
    ? ` at commit \`${source.commit.slice(0, 12)}\`${source.modified ? " (with changes not yet committed)" : ""}`
    : "";
  const fullReadme = linkToRepositoryFile(source, `${samplePath}/README.md`);
  const readmeReference = fullReadme
    ? `[\`${samplePath}/README.md\`](${fullReadme})`
    : `\`${samplePath}/README.md\` in that repository`;
  return (
    `It was exported by \`pnpm export-sample ${sampleName}\` from \`${samplePath}\` of ${repository}${commit}, ` +
    `and runs without the rest of that repository. The full README, ${readmeReference}, says how to give the ` +
    "VM's identity the role this sample needs, and what each error means."
  );
}

export function buildExportReadme(options: ExportReadmeOptions): string {
  const { parts, form, assets } = options;
  const sections: string[] = [`# ${parts.title}`];
  if (parts.introduction) sections.push(parts.introduction);
  sections.push(originSentence(options));

  if (form.kind === "package") {
    sections.push(
      [
        "## Run it",
        "",
        "You need Node.js 22 or later and npm. On an Azure VM with a managed identity:",
        "",
        "```bash",
        "npm install",
        "npm start",
        "```",
        "",
        "Options go after `--`: `npm start -- --help`. When a script reads the output of `--json`, add `--silent` " +
          "so that npm's own lines stay out of it: `npm start --silent -- --json`.",
        "",
        "`npm start` runs `src/index.ts` with [tsx](https://tsx.is), a dependency here, because that works on " +
          "every Node.js 22 and later. From Node.js 22.18 on, Node can also run the TypeScript by itself " +
          "(type stripping): `node src/index.ts`.",
        "",
        "## What is here",
        "",
        "| Path | What it is |",
        "| --- | --- |",
        "| `src/index.ts` | The sample |",
        "| `src/identity/` | A copy of the repository's `@msi-samples/identity` package (sign-in with a deadline, " +
          "instance metadata, explained errors), imported as `./identity/index.ts` |",
        "| `src/sample-cli/` | A copy of the repository's `@msi-samples/sample-cli` package (flags, `--help`, " +
          "settings, the error exit), imported as `./sample-cli/index.ts` |",
        ...assets.map((asset) => `| \`${asset}\` | Read by the sample at run time |`),
        "| `package.json` | Published npm packages only, at the ranges the repository uses |",
        "| `tsconfig.json` | Compiler settings: `npx tsc --noEmit` checks the types |",
        "| `LICENSE` | The repository's license |",
      ].join("\n"),
    );
  } else {
    const together =
      assets.length === 0
        ? "Copy that one file anywhere and run it."
        : `The sample reads ${assets.map((asset) => `\`${asset}\``).join(", ")} next to it at run time: keep ` +
          "them together (copy the whole folder).";
    sections.push(
      [
        "## Run it",
        "",
        `\`${form.file}\` holds the sample, the repository's shared identity code and the Azure SDK for ` +
          "JavaScript in one ES module. It needs Node.js 22 or later and nothing else: no `npm install`. " +
          together,
        "",
        "```bash",
        `node ${form.file} --help`,
        `node ${form.file}`,
        "```",
      ].join("\n"),
    );
  }

  if (parts.settings) {
    const runner = form.kind === "package" ? "`npm start --`" : `\`node ${form.file}\``;
    // The full README runs the sample with the repository's own command.
    const command = form.kind === "package" ? "npm start" : `node ${form.file}`;
    const settings = parts.settings.replaceAll("pnpm start:local", command).replaceAll("pnpm start", command);
    sections.push(`## Settings\n\nFrom the full README; run ${runner} with these flags here.\n\n${settings}`);
  }
  return `${sections.join("\n\n")}\n`;
}
