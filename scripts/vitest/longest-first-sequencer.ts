// Orders the run so the longest files start first. Vitest's own order runs one project after another, so the
// Azure CLI's file (the longest, in the last project) used to start when everything else was done and ran on one
// core while the other sat idle. On a clean clone vitest has no durations to go by, hence the measured list.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The longest files, longest first (seconds alone on an idle 2-core machine, December 2026). */
export const LONGEST_FILES = [
  "packages/emulator/test/other-clients/azure-cli.test.ts", // ~33 s: 40 az commands, Python, ~1 s each
  "scripts/test/readme.local-commands-run-verbatim.test.ts", // ~28 s: a clone, installs, the demo
  "scripts/test/export-sample.package-runs-against-emulator.test.ts", // ~25 s: two npm installs, npm start via tsx
  "packages/emulator/test/cli/packed-tarball.test.ts", // ~17 s: pack, npm install of the tarball
  "packages/emulator/test/cli/commands.test.ts", // ~11 s: the CLI as child processes
];

export default class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const index = LONGEST_FILES.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return index === -1 ? LONGEST_FILES.length : index;
    };
    // Array.prototype.sort is stable: the rest keeps vitest's order (by project, isolated first, by duration).
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
