#!/usr/bin/env bash
# Signs in with the VM's managed identities and manages resource groups with the Azure CLI, saving each answer in
# $OUT (default: a new temp folder). Run by other-clients.azure-cli.test.ts; by hand, from the repository root:
#   AZURE_CONFIG_DIR=$(mktemp -d) pnpm emulator exec -- bash packages/emulator/test/other-clients/azure-cli/sign-in-and-manage-groups.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}
user_assigned_client_id=${1:-5d8b2f6a-3e1c-4b97-a6d0-8f2c4e9a1b73}

az login --identity --output json >"$out/login.json"
az account show --output json >"$out/account.json"
az group list --output json >"$out/groups.json"
az group create --name rg-created-by-cli --location westus2 --tags origin=azure-cli --output json >"$out/group-created.json"
az group show --name rg-created-by-cli --output json >"$out/group-shown.json"
az group delete --name rg-created-by-cli --yes
az group exists --name rg-created-by-cli >"$out/group-exists-after-delete.txt"

# Azure CLI 2.45 picks a user-assigned identity with --username (later versions: --client-id, --resource-id).
az login --identity --username "$user_assigned_client_id" --output json >"$out/login-user-assigned.json"
az group list --query "[].name" --output json >"$out/groups-user-assigned.json"
echo "answers saved in $out" >&2
