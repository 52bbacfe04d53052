#!/usr/bin/env bash
# The Azure CLI one step off the samples' path, saving its answers in $OUT: the resource providers API
# (`az provider show`, `az resource show --ids` without --api-version), then the scenario's vault through its
# soft-delete life: delete, list-deleted, show-deleted, recover, delete again, purge; and a malformed subscription ID.
# By hand, from the repository root:
#   AZURE_CONFIG_DIR=$(mktemp -d) pnpm emulator exec -- bash packages/emulator/test/other-clients/azure-cli/providers-and-soft-deleted-vault.sh
set -euo pipefail
out=${OUT:-$(mktemp -d)}
vault=kv-msi-samples

az login --identity --output none
az provider show --namespace Microsoft.KeyVault --output json >"$out/provider.json"
vault_id=$(az keyvault show --name "$vault" --query id --output tsv)
az resource show --ids "$vault_id" --output json >"$out/resource.json"

az keyvault delete --name "$vault" --output none
az keyvault list-deleted --output json >"$out/deleted.json"
az keyvault show-deleted --name "$vault" --output json >"$out/show-deleted.json"
# The location purge needs, from the answer above (az is Python: python3 is there).
location=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["properties"]["location"])' <"$out/show-deleted.json")
az keyvault recover --name "$vault" --output json >"$out/recovered.json"
az keyvault delete --name "$vault" --output none
az keyvault purge --name "$vault" --location "$location" --output none
az keyvault list-deleted --output json >"$out/deleted-after-purge.json"
# A subscription ID that is not a GUID: ARM's 400 InvalidSubscriptionId, printed by az rest.
if az rest --method get --url "https://management.azure.com/subscriptions/not-a-guid/resourcegroups?api-version=2021-04-01" \
  2>"$out/malformed-subscription.txt"; then
  echo "az rest accepted a malformed subscription ID" >&2
  exit 1
fi
echo "answers saved in $out" >&2
