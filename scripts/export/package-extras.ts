// The files an exported package carries beside its code: a tsconfig.json with which `npx tsc --noEmit` checks the
// sample as this repository does, and the repository's license.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { REPO_ROOT } from "./workspace.ts";

/** The repository's compiler settings that matter to a reader's copy, for files run by tsx or Node's type stripping. */
const exportedTsconfig = {
  compilerOptions: {
    target: "es2023",
    lib: ["es2023"],
    module: "nodenext",
    moduleResolution: "nodenext",
    types: ["node"],
    strict: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    erasableSyntaxOnly: true,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    noEmit: true,
  },
  include: ["src"],
};

function mitLicense(year: number): string {
  return `MIT License

Copyright (c) ${year} The vm-managed-identity-samples contributors

Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
`;
}

/** Writes tsconfig.json and LICENSE (the repository's LICENSE file, else the MIT text its package.json names). */
export async function writePackageExtras(outDir: string, license: string | undefined): Promise<void> {
  await writeFile(path.join(outDir, "tsconfig.json"), `${JSON.stringify(exportedTsconfig, null, 2)}\n`);
  const repositoryLicense = await readFile(path.join(REPO_ROOT, "LICENSE"), "utf8").catch(() => undefined);
  const text = repositoryLicense ?? (license === "MIT" ? mitLicense(new Date().getUTCFullYear()) : undefined);
  if (text !== undefined) await writeFile(path.join(outDir, "LICENSE"), text);
}
