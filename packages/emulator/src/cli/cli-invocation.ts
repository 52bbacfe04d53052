// How the user ran this CLI, so that the commands it prints (hints, the undo of `env`) work when pasted as printed.

/**
 * The command that runs this CLI the way it was run now: through the repository's `emulator` script (with pnpm, as the
 * Quick start's `npx --yes pnpm@<version>`, or with `npm run`), else the installed package's `msi-emulator` bin.
 * `quiet` gives the form whose stdout is only the CLI's own (for `eval "$(...)"`).
 */
export function cliCommand(options: { quiet?: boolean } = {}, env: NodeJS.ProcessEnv = process.env): string {
  if (env.npm_lifecycle_event === "emulator") {
    const pnpm = /^pnpm\/(\S+)/.exec(env.npm_config_user_agent ?? "");
    if (pnpm) return `npx --yes pnpm@${pnpm[1]}${options.quiet ? " --silent" : ""} emulator`;
    return `npm run${options.quiet ? " --silent" : ""} emulator --`;
  }
  return "npx msi-emulator";
}
