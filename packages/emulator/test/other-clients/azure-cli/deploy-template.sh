#!/usr/bin/env bash
# Deploys the deploy-arm-template sample's template with the Azure CLI, reads the storage account it creates, and
# deploys a template with comments (the CLI sends template files verbatim, comments included). Answers go to $OUT.
# By hand, from the repository root:
#   AZURE_CONFIG_DIR=$(mktemp -d) pnpm emulator exec -- bash packages/emulator/test/other-clients/azure-cli/deploy-template.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}
template_dir="$(cd "$(dirname "$0")/../../../../.." && pwd)/samples/deploy-arm-template/template"
group=rg-msi-samples

az login --identity --output none
az deployment group create --resource-group "$group" --name storage-from-cli \
  --template-file "$template_dir/azuredeploy.json" --parameters "@$template_dir/azuredeploy.parameters.json" \
  --output json >"$out/deployment.json"
account=$(az deployment group show --resource-group "$group" --name storage-from-cli \
  --query properties.outputs.storageAccountName.value --output tsv)
az storage account show --resource-group "$group" --name "$account" --output json >"$out/storage-account.json"
az storage account list --resource-group "$group" --output json >"$out/storage-accounts.json"
az storage account keys list --resource-group "$group" --account-name "$account" --output json >"$out/storage-keys.json"

cat >"$out/commented-template.json" <<'TEMPLATE'
{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // Comments are allowed in templates; ARM reads them, so the CLI does not strip them.
  "parameters": {
    "greeting": { "type": "string" } /* set on the command line */
  },
  "resources": [],
  "outputs": {
    "message": { "type": "string", "value": "[concat(parameters('greeting'), ' from ', resourceGroup().name)]" }
  }
}
TEMPLATE
az deployment group create --resource-group "$group" --name commented-from-cli \
  --template-file "$out/commented-template.json" --parameters greeting=Hello --output json >"$out/commented-deployment.json"
echo "answers saved in $out" >&2
