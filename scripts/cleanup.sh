#!/usr/bin/env bash
# Deletes what scripts/provision-vm.sh made: the lab identities' Reader role assignments on the
# subscription, the resource group (only when provision-vm.sh created it), and, with --purge-vault,
# the lab's soft-deleted Key Vault. Asks first unless --yes. --dry-run prints the commands only.
# shellcheck disable=SC2016 # single-quoted ${name} is meant literally: dry runs print placeholders.
set -euo pipefail

# --- Lab command helpers: keep this block identical in provision-vm.sh and cleanup.sh -----------
# Every Azure CLI command goes through run or capture, which print it as a shell line first, so that
# a dry run prints the exact commands, in order, as a bash script (values that a real run reads from
# an earlier command's output appear as ${name}). Written for bash 3.2 too (macOS).
dry_run=false
show_indent=""
hidden_variables=""
quoted=""
shown=""

is_dry_run() { [ "$dry_run" = true ]; }
warn() { printf 'warning: %s\n' "$*" >&2; }
fail() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}
usage_error() {
  printf 'error: %s\nRun with --help for usage.\n' "$*" >&2
  exit 2
}

# option_value OPTION [VALUE]: the option's value, or a usage error when it has none.
option_value() {
  if [ $# -lt 2 ] || [ -z "$2" ]; then usage_error "$1 needs a value"; fi
  printf '%s' "$2"
}

# quote_word WORD: sets quoted to WORD as bash needs it written; ${name} placeholders stay expandable.
# (Helpers return through variables: command substitutions would fork for every word.)
quote_word() {
  local word=$1 escaped_quote="'\\''" escaped
  case $word in
    '') quoted="''" ;;
    *[!A-Za-z0-9_./:=@,+%^-]*)
      escaped=${word//\'/$escaped_quote}
      case $word in
        *'"'* | *\\* | *'`'* | *'$('*) quoted="'$escaped'" ;;
        *'${'*) quoted="\"$word\"" ;;
        *) quoted="'$escaped'" ;;
      esac
      ;;
    *) quoted=$word ;;
  esac
}

# shown_words WORD...: sets shown to the command line as printed, hidden values shown by name.
shown_words() {
  local word name value placeholder
  shown=""
  for word in "$@"; do
    for name in $hidden_variables; do
      value=${!name-}
      case $value in '' | '${'*) continue ;; esac
      placeholder="\${$name}"
      word=${word//"$value"/$placeholder}
    done
    quote_word "$word"
    shown="$shown${shown:+ }$quoted"
  done
}

show_line() {
  if is_dry_run; then printf '%s%s\n' "$show_indent" "$1"; else printf '+ %s\n' "$1"; fi
}

# step MESSAGE: what the next commands do.
step() {
  if is_dry_run; then printf '\n%s# %s\n' "$show_indent" "$1"; else printf '\n==> %s\n' "$1"; fi
}

note() {
  if is_dry_run; then printf '%s# %s\n' "$show_indent" "$1"; else printf '%s\n' "$1"; fi
}

begin() {
  if is_dry_run; then
    printf '# Dry run of %s: the commands it would run, in order, as a bash script. Nothing was run.\n' "$1"
    printf '# ${name} stands for a value that a real run reads from an earlier command.\n'
  fi
}

# begin_if CONDITION / end_if: in a dry run, print the shell condition that guards the commands
# between them (a real run tests it itself and runs only what applies).
begin_if() {
  if is_dry_run; then
    show_line "if $1; then"
    show_indent="$show_indent  "
  fi
}
end_if() {
  if is_dry_run; then
    show_indent=${show_indent%  }
    show_line "fi"
  fi
}

# run COMMAND...: print the command, then run it (not in a dry run).
run() {
  shown_words "$@"
  show_line "$shown"
  if is_dry_run; then return 0; fi
  "$@"
}

# capture VARIABLE COMMAND...: VARIABLE=$(COMMAND...), printed first. Returns the command's status.
capture() {
  local variable=$1 value
  shift
  shown_words "$@"
  show_line "$variable=\$($shown)"
  if is_dry_run; then
    printf -v "$variable" '${%s}' "$variable"
    return 0
  fi
  value=$("$@") || return $?
  printf -v "$variable" '%s' "$value"
}

# run_if_set VARIABLE COMMAND...: run the command only when VARIABLE is not empty.
run_if_set() {
  local variable=$1
  shift
  if is_dry_run; then
    begin_if "[ -n \"\${$variable}\" ]"
    run "$@"
    end_if
  elif [ -n "${!variable-}" ]; then
    run "$@"
  fi
}

# report: print the text on standard input for people (as comments in a dry run).
report() {
  if is_dry_run; then sed -e 's/^/# /' -e 's/^# $/#/'; else cat; fi
}

# require_az_login [SUBSCRIPTION]: set subscription_id from az, or stop with the fix.
require_az_login() {
  if ! is_dry_run && ! command -v az >/dev/null 2>&1; then
    fail "the Azure CLI (az) is not installed. Install it (https://learn.microsoft.com/cli/azure/install-azure-cli), or use Azure Cloud Shell or this repository's dev container."
  fi
  step "Check that the Azure CLI is signed in, and find the subscription."
  if [ -n "$1" ]; then
    capture subscription_id az account show --subscription "$1" --query id --output tsv ||
      fail "the Azure CLI is not signed in, or cannot use subscription '$1'.
Fix: run 'az login' (over SSH or in a Codespace: 'az login --use-device-code'), check the
subscription with 'az account list --output table', then run this script again."
  else
    capture subscription_id az account show --query id --output tsv ||
      fail "the Azure CLI is not signed in.
Fix: run 'az login' (over SSH or in a Codespace: 'az login --use-device-code'), choose the
subscription with 'az account set --subscription <id>', then run this script again."
  fi
  if ! is_dry_run; then note "Using subscription $subscription_id."; fi
}
# --- End of lab command helpers -------------------------------------------------------------------

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
