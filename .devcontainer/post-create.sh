#!/usr/bin/env bash
# Runs once when the dev container (or Codespace) is created: installs the pnpm version pinned by
# packageManager in package.json, then the workspace's dependencies from the lockfile.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

pnpm_version=$(node -p 'require("./package.json").packageManager.split("@")[1]')
npm install --global "pnpm@$pnpm_version"
pnpm install --frozen-lockfile

cat <<'DONE'

Ready. Try:  pnpm test                      (every test, against the local emulator)
             az login --use-device-code     (then scripts/provision-vm.sh for a real VM)
DONE
