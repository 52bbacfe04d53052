// The "run it locally" hint of the IMDS explanations names two commands; both must exist where the hint says: the
// start:local script in every sample's folder, and the emulator script at the repository root only.
import { readdir, readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { runLocallyHint } from "../src/imds-endpoint.ts";

const root = new URL("../../../", import.meta.url);

async function scriptsOf(folder: URL): Promise<Record<string, string>> {
  const manifest = JSON.parse(await readFile(new URL("package.json", folder), "utf8")) as {
    scripts?: Record<string, string>;
  };
  return manifest.scripts ?? {};
}

it("names start:local, which every sample has, and emulator, which the root has", async () => {
  expect(runLocallyHint).toContain("`pnpm start:local` in the sample's folder");
  expect(runLocallyHint).toContain("`pnpm emulator exec -- <command>` from the repository root");
  expect(Object.keys(await scriptsOf(root))).toContain("emulator");
  const samples = await readdir(new URL("samples/", root));
  expect(samples.length).toBeGreaterThan(0);
  for (const sample of samples) {
    const scripts = await scriptsOf(new URL(`samples/${sample}/`, root));
    expect(Object.keys(scripts), sample).toContain("start:local");
    // Which is why the hint cannot say `pnpm emulator …` to someone in a sample's folder.
    expect(Object.keys(scripts), sample).not.toContain("emulator");
  }
});
