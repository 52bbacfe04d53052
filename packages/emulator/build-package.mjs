// Builds what `pnpm pack` puts in the tarball (prepack), and removes it again (postpack, `--clean`): the CLI and the
// library compiled to JavaScript in dist/ (esbuild; dependencies stay npm dependencies), the shared scenarios, their
// schema and the ARM templates in shared/, and the LICENSE. The tarball then runs with Node.js alone, no tsx.
import { cp, rm } from "node:fs/promises";
import { build } from "esbuild";

const here = (relative) => new URL(relative, import.meta.url);
const outputs = [here("dist/"), here("shared/"), here("LICENSE")];

await Promise.all(outputs.map((output) => rm(output, { recursive: true, force: true })));
if (!process.argv.includes("--clean")) {
  await build({
    entryPoints: { cli: "src/cli/msi-emulator.ts", index: "src/index.ts" },
    absWorkingDir: new URL(".", import.meta.url).pathname,
    outdir: "dist",
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node22",
    packages: "external",
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
  });
  await cp(here("../../shared/scenarios/"), here("shared/scenarios/"), { recursive: true });
  await cp(here("../../shared/templates/"), here("shared/templates/"), { recursive: true });
  await cp(here("../../LICENSE"), here("LICENSE"));
}
