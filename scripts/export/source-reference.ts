// Where an export came from (repository URL, commit), for the link back in its README. Reads git; changes nothing.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { type PackageJson, REPO_ROOT } from "./workspace.ts";

const run = promisify(execFile);

export interface SourceReference {
  /** `https://github.com/owner/repo` when known (root package.json `repository`, else the git remote `origin`). */
  repositoryUrl: string | undefined;
  commit: string | undefined;
  /** The exported files differ from the commit. */
  modified: boolean;
}

async function git(args: string[]): Promise<string | undefined> {
  try {
    const { stdout } = await run("git", ["-C", REPO_ROOT, ...args], { timeout: 10_000 });
    return stdout.trim();
  } catch {
    return undefined;
  }
}

/** `git@github.com:o/r.git`, `git+https://github.com/o/r.git`, `github:o/r` → `https://github.com/o/r`. */
export function browsableRepositoryUrl(url: string): string | undefined {
  const match =
    /^(?:git\+)?(?:https?:\/\/|ssh:\/\/git@|git@|git:\/\/)([\w.-]+)[/:]([\w.-]+)\/([\w.-]+?)(?:\.git)?\/?$/.exec(
      url,
    ) ?? /^(github):([\w.-]+)\/([\w.-]+?)(?:\.git)?$/.exec(url);
  if (!match) return undefined;
  const host = match[1] === "github" ? "github.com" : match[1];
  return `https://${host}/${match[2]}/${match[3]}`;
}

export async function readSourceReference(
  rootPackage: PackageJson,
  paths: string[],
): Promise<SourceReference> {
  const declared =
    typeof rootPackage.repository === "string" ? rootPackage.repository : rootPackage.repository?.url;
  const remote = declared ?? (await git(["remote", "get-url", "origin"]));
  const commit = await git(["rev-parse", "HEAD"]);
  const status = commit === undefined ? "" : await git(["status", "--porcelain", "--", ...paths]);
  return {
    repositoryUrl: remote === undefined ? undefined : browsableRepositoryUrl(remote),
    commit,
    modified: Boolean(status),
  };
}

/** A link to a file of the repository on its default branch, or undefined when the repository has no known URL. */
export function linkToRepositoryFile(source: SourceReference, file: string): string | undefined {
  return source.repositoryUrl === undefined ? undefined : `${source.repositoryUrl}/blob/HEAD/${file}`;
}
