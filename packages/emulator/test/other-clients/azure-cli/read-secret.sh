#!/usr/bin/env bash
# Reads the sample secret from Key Vault with the Azure CLI's managed-identity token, saving the answers in $OUT.
# Debian's azure-cli 2.45 cannot run `az keyvault secret show` (it needs the old azure-keyvault package, which Debian
# does not ship: "No module named 'azure.keyvault.v7_0'"), so `az rest` calls the same data-plane operation.
# By hand, from the repository root:
#   AZURE_CONFIG_DIR=$(mktemp -d) pnpm emulator exec -- bash packages/emulator/test/other-clients/azure-cli/read-secret.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}

az login --identity --output none
vault_uri=$(az keyvault show --name kv-msi-samples --query properties.vaultUri --output tsv)
echo "$vault_uri" >"$out/vault-uri.txt"
az rest --method get --url "${vault_uri}secrets/sample-secret?api-version=7.3" --resource https://vault.azure.net \
  --output json >"$out/secret.json"
echo "answers saved in $out" >&2
