#!/usr/bin/env bash
# Deletes what scripts/provision-vm.sh made: the lab identities' Reader role assignments on the
# subscription, the resource group (only when provision-vm.sh created it), and, with --purge-vault,
# the lab's soft-deleted Key Vault. Asks first unless --yes. --dry-run prints the commands only.
# shellcheck disable=SC2016 # single-quoted ${name} is meant literally: dry runs print placeholders.
set -euo pipefail

# Every Azure CLI command goes through run or capture (scripts/lib/lab-commands.sh), so that a dry run
# prints the exact commands, in order.
# shellcheck source-path=SCRIPTDIR source=lib/lab-commands.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/lab-commands.sh"

usage() {
  cat <<'EOF'
Usage: scripts/cleanup.sh [options]

Deletes what scripts/provision-vm.sh made, in this order:
  1. the Reader role assignments of the lab's two identities on the subscription (deleting the
     resource group would leave them behind, orphaned);
  2. the resource group and everything in it, but only when provision-vm.sh created it (tag
     createdBy=provision-vm.sh); otherwise it says what is left for you to delete;
  3. with --purge-vault, the lab's Key Vault, which Azure keeps soft-deleted for 7 days after the
     group is deleted (until then its name stays taken).

Options:
  -g, --resource-group NAME   the lab's resource group                  (default: msi-samples-lab)
  -s, --subscription ID       subscription to use              (default: az's current subscription)
      --deployment-name NAME  the lab's template deployment             (default: msi-lab)
      --purge-vault           also purge the soft-deleted Key Vault (needs the right to purge on the
                              subscription, for example Contributor there)
  -y, --yes                   do not ask for confirmation (needed when not run on a terminal)
  -n, --dry-run               print every command, in order, and run none (needs no sign-in)
  -h, --help                  show this help

Vaults that the create-delete-key-vault sample made and deleted stay soft-deleted too; list them
with 'az keyvault list-deleted'.
Exit codes: 0 done (or nothing to delete), 1 an Azure CLI command failed, 2 bad input or not confirmed.
EOF
}

resource_group=msi-samples-lab
subscription=""
deployment_name=msi-lab
purge_vault=false
assume_yes=false

while [ $# -gt 0 ]; do
  case $1 in
    -g | --resource-group) resource_group=$(option_value "$@"); shift ;;
    -s | --subscription) subscription=$(option_value "$@"); shift ;;
    --deployment-name) deployment_name=$(option_value "$@"); shift ;;
    --purge-vault) purge_vault=true ;;
    -y | --yes) assume_yes=true ;;
    -n | --dry-run) dry_run=true ;;
    -h | --help) usage && exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done

# Set from the commands' output (in a dry run: ${name} placeholders).
subscription_id="" group_exists="" created_by="" location=""
system_principal_id="" user_principal_id="" vault_name=""
system_reader_assignment_id="" user_reader_assignment_id=""

if ! is_dry_run && [ "$assume_yes" != true ] && ! [ -t 0 ]; then
  usage_error "not run on a terminal, so cleanup.sh cannot ask: pass --yes to confirm the deletion"
fi

# --- 1. Signed in? What is there? ---------------------------------------------------------------
begin "cleanup.sh"
require_az_login "$subscription"

step "Find resource group '$resource_group'; stop if it does not exist."
capture group_exists az group exists --subscription "$subscription_id" --name "$resource_group"
if is_dry_run; then
  show_line '[ "${group_exists}" = true ] || exit 0'
elif [ "$group_exists" != true ]; then
  note "Resource group '$resource_group' does not exist in subscription $subscription_id: nothing to delete."
  exit 0
fi
capture created_by az group show --subscription "$subscription_id" --name "$resource_group" \
  --query tags.createdBy --output tsv
capture location az group show --subscription "$subscription_id" --name "$resource_group" \
  --query location --output tsv

step "Read the lab identities and vault from the deployment's outputs."
deployment_output() { # VARIABLE OUTPUT_NAME: empty when the deployment or output is missing
  capture "$1" az deployment group show --subscription "$subscription_id" --resource-group "$resource_group" \
    --name "$deployment_name" --query "properties.outputs.$2.value" --output tsv ||
    warn "could not read output $2 of deployment '$deployment_name' in '$resource_group'"
}
deployment_output system_principal_id systemAssignedPrincipalId
deployment_output user_principal_id userAssignedPrincipalId
if [ "$purge_vault" = true ]; then deployment_output vault_name vaultName; fi

step "Find the identities' Reader role assignments on the subscription."
reader_assignment() { # VARIABLE PRINCIPAL_ID: the assignment's ID, or empty
  if is_dry_run || [ -n "$2" ]; then
    capture "$1" az role assignment list --scope "/subscriptions/$subscription_id" --role Reader \
      --query "[?principalId=='$2'].id | [0]" --output tsv
  fi
}
reader_assignment system_reader_assignment_id "$system_principal_id"
reader_assignment user_reader_assignment_id "$user_principal_id"

# --- 2. Confirm ----------------------------------------------------------------------------------
group_is_ours=false
[ "$created_by" = provision-vm.sh ] && group_is_ours=true
if is_dry_run; then
  note "Here cleanup.sh asks for confirmation, unless --yes."
elif [ "$assume_yes" != true ]; then
  printf '\nAbout to delete, in subscription %s:\n' "$subscription_id"
  [ -z "$system_reader_assignment_id" ] || printf '  - role assignment %s\n' "$system_reader_assignment_id"
  [ -z "$user_reader_assignment_id" ] || printf '  - role assignment %s\n' "$user_reader_assignment_id"
  [ "$group_is_ours" != true ] || printf '  - resource group %s and everything in it\n' "$resource_group"
  [ -z "$vault_name" ] || [ "$group_is_ours" != true ] || printf '  - then purge Key Vault %s\n' "$vault_name"
  printf 'Continue? [y/N] '
  answer=""
  read -r answer || true
  case $answer in
    y | Y | yes | YES) ;;
    *) usage_error "not confirmed: nothing was deleted" ;;
  esac
fi

# --- 3. Delete -----------------------------------------------------------------------------------
step "Delete the Reader role assignments on the subscription."
run_if_set system_reader_assignment_id az role assignment delete --ids "$system_reader_assignment_id"
run_if_set user_reader_assignment_id az role assignment delete --ids "$user_reader_assignment_id"

step "Delete the resource group if provision-vm.sh created it (tag createdBy=provision-vm.sh): minutes."
if is_dry_run || [ "$group_is_ours" = true ]; then
  begin_if '[ "${created_by}" = provision-vm.sh ]'
  run az group delete --subscription "$subscription_id" --name "$resource_group" --yes
  if [ "$purge_vault" = true ]; then
    note "The vault is now soft-deleted: purge it, so that its name is free again."
    run_if_set vault_name az keyvault purge --subscription "$subscription_id" --name "$vault_name" \
      --location "$location"
  fi
  end_if
else
  report <<EOF
Resource group '$resource_group' was not created by provision-vm.sh, so it is left as it is.
Delete the lab's resources in it yourself; list them with:
  az resource list --subscription $subscription_id --resource-group $resource_group --tag purpose=msi-samples-lab --output table
EOF
fi
report <<EOF

Done.
EOF
