#!/usr/bin/env bash
# Provisions the managed-identity lab in Azure with the Azure CLI: the resource group, then
# shared/templates/lab-vm.json (an Ubuntu VM with a system-assigned and a user-assigned identity, a
# Key Vault holding the samples' secret, their roles), then the subscription-scope Reader role that a
# resource-group template cannot assign; prints the next steps. --dry-run prints the commands only.
# shellcheck disable=SC2016 # single-quoted ${name} is meant literally: dry runs print placeholders.
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$script_dir/.." && pwd)
readonly template_file="$repo_root/shared/templates/lab-vm.json"
# The repository is not published yet; replace <your-org> once it is.
readonly repo_url="https://github.com/<your-org>/vm-managed-identity-samples.git"

# Every Azure CLI command goes through run or capture (scripts/lib/lab-commands.sh), so that a dry run
# prints the exact commands, in order.
# shellcheck source-path=SCRIPTDIR source=lib/lab-commands.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib/lab-commands.sh"

usage() {
  cat <<'EOF'
Usage: scripts/provision-vm.sh [options]

Creates the managed-identity lab in your Azure subscription with the Azure CLI (az):
  1. checks that az is signed in (az account show);
  2. creates the resource group, tagged createdBy=provision-vm.sh so that cleanup.sh knows it made
     it (an existing group is used as it is, and cleanup.sh will not delete it);
  3. deploys shared/templates/lab-vm.json: an Ubuntu 24.04 VM with a system-assigned and a
     user-assigned identity, a Key Vault (RBAC mode) holding the secret the samples read, and the
     roles both identities need in the resource group and on the vault;
  4. gives both identities Reader on the subscription (to list its resource groups), which a
     resource-group template cannot do;
  5. prints the next steps: the ssh command and how to run a sample on the VM.

Options:
  -g, --resource-group NAME   resource group to create or use           (default: msi-samples-lab)
  -l, --location REGION       region of a new resource group            (default: eastus)
  -p, --name-prefix PREFIX    start of every resource name, 3-12 chars  (default: msilab)
  -k, --ssh-key PATH          SSH public key for the VM
                              (default: ~/.ssh/id_ed25519.pub, else ~/.ssh/id_rsa.pub)
  -u, --admin-username NAME   Linux user on the VM                      (default: azureuser)
      --vm-size SIZE          VM size                                   (default: Standard_B2s)
      --ssh-source CIDR       addresses allowed to reach SSH, e.g. 203.0.113.10/32
                              (default: *, any address; a warning says so)
      --secret-name NAME      name of the Key Vault secret              (default: sample-secret)
      --no-node               do not install Node.js 24 and pnpm with cloud-init
      --user-assigned-selector client-id|object-id|resource-id
                              how the next steps select the user-assigned identity
                                                                        (default: client-id)
  -s, --subscription ID       subscription to use              (default: az's current subscription)
      --deployment-name NAME  name of the template deployment           (default: msi-lab)
  -n, --dry-run               print every command, in order, and run none (needs no sign-in)
  -h, --help                  show this help

You need the Azure CLI, signed in (az login), and on the subscription either Owner, or Contributor
plus User Access Administrator (or Role Based Access Control Administrator): the lab creates role
assignments. The secret's value is generated (openssl rand) and never printed.
Exit codes: 0 done, 1 an Azure CLI command failed, 2 bad input.
EOF
}

resource_group=msi-samples-lab
location=eastus
name_prefix=msilab
ssh_key_path=""
admin_username=azureuser
vm_size=Standard_B2s
ssh_source=""
secret_name=sample-secret
install_node=true
user_assigned_selector=client-id
subscription=""
deployment_name=msi-lab

while [ $# -gt 0 ]; do
  case $1 in
    -g | --resource-group) resource_group=$(option_value "$@"); shift ;;
    -l | --location) location=$(option_value "$@"); shift ;;
    -p | --name-prefix) name_prefix=$(option_value "$@"); shift ;;
    -k | --ssh-key) ssh_key_path=$(option_value "$@"); shift ;;
    -u | --admin-username) admin_username=$(option_value "$@"); shift ;;
    --vm-size) vm_size=$(option_value "$@"); shift ;;
    --ssh-source) ssh_source=$(option_value "$@"); shift ;;
    --secret-name) secret_name=$(option_value "$@"); shift ;;
    --no-node) install_node=false ;;
    --user-assigned-selector) user_assigned_selector=$(option_value "$@"); shift ;;
    -s | --subscription) subscription=$(option_value "$@"); shift ;;
    --deployment-name) deployment_name=$(option_value "$@"); shift ;;
    -n | --dry-run) dry_run=true ;;
    -h | --help) usage && exit 0 ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done

# Set from the commands' output (in a dry run: ${name} placeholders).
subscription_id="" group_exists="" admin_public_key="" lab_secret_value=""
system_principal_id="" user_principal_id="" ssh_command="" vault_name="" user_assigned_id=""

# --- Check every input before any command runs --------------------------------------------------
case $name_prefix in
  [a-z]*) ;;
  *) usage_error "--name-prefix '$name_prefix' must start with a lowercase letter" ;;
esac
case $name_prefix in
  *[!a-z0-9-]*) usage_error "--name-prefix '$name_prefix' may hold only lowercase letters, digits and hyphens" ;;
esac
if [ ${#name_prefix} -lt 3 ] || [ ${#name_prefix} -gt 12 ]; then
  usage_error "--name-prefix '$name_prefix' must be 3 to 12 characters long"
fi
case $user_assigned_selector in
  client-id | object-id | resource-id) ;;
  *) usage_error "--user-assigned-selector must be client-id, object-id or resource-id, not '$user_assigned_selector'" ;;
esac
case $secret_name in
  '' | *[!A-Za-z0-9-]*) usage_error "--secret-name '$secret_name' may hold only letters, digits and hyphens" ;;
esac
if [ -z "$ssh_key_path" ]; then
  if [ -f "$HOME/.ssh/id_ed25519.pub" ]; then
    ssh_key_path="$HOME/.ssh/id_ed25519.pub"
  elif [ -f "$HOME/.ssh/id_rsa.pub" ]; then
    ssh_key_path="$HOME/.ssh/id_rsa.pub"
  elif is_dry_run; then
    # A dry run needs no key: it shows where a real run will read one.
    ssh_key_path="$HOME/.ssh/id_ed25519.pub" ssh_key_is_placeholder=true
    warn "no SSH public key at ~/.ssh/id_ed25519.pub or ~/.ssh/id_rsa.pub: this dry run shows $ssh_key_path as a placeholder. Before a real run, create it with 'ssh-keygen -t ed25519', or pass --ssh-key PATH."
  else
    usage_error "no SSH public key at ~/.ssh/id_ed25519.pub or ~/.ssh/id_rsa.pub.
Create one with 'ssh-keygen -t ed25519', or pass --ssh-key PATH."
  fi
fi
case $ssh_key_path in
  *.pub) ;;
  *) usage_error "--ssh-key '$ssh_key_path' must be a public key (a .pub file), never the private key" ;;
esac
[ "${ssh_key_is_placeholder-}" = true ] || [ -f "$ssh_key_path" ] || usage_error "--ssh-key '$ssh_key_path' is not a file. Create a key with 'ssh-keygen -t ed25519'."
if [ -z "$ssh_source" ]; then
  ssh_source='*'
  warn "SSH (port 22) will be open to any address. Pass --ssh-source <your public IP>/32 to restrict it."
fi
[ -f "$template_file" ] || fail "the lab template is missing: $template_file"
if ! is_dry_run && ! command -v openssl >/dev/null 2>&1; then
  fail "openssl is needed to generate the secret's value; install it, then run this script again."
fi

# --- 1. Signed in? -------------------------------------------------------------------------------
begin "provision-vm.sh"
require_az_login "$subscription"

# --- 2. The resource group -----------------------------------------------------------------------
step "Create resource group '$resource_group' in '$location', unless it exists."
capture group_exists az group exists --subscription "$subscription_id" --name "$resource_group"
if is_dry_run || [ "$group_exists" != true ]; then
  begin_if '[ "${group_exists}" != true ]'
  run az group create --subscription "$subscription_id" --name "$resource_group" --location "$location" \
    --tags createdBy=provision-vm.sh purpose=msi-samples-lab --output none
  end_if
else
  note "Resource group '$resource_group' exists: using it as it is (cleanup.sh will not delete it)."
fi

# --- 3. The lab template -------------------------------------------------------------------------
step "Read the SSH public key, and generate the secret's value (never printed)."
hidden_variables="admin_public_key lab_secret_value"
capture admin_public_key cat "$ssh_key_path"
capture lab_secret_value openssl rand -hex 24

step "Deploy the lab template: the VM, both identities, the Key Vault and their roles (minutes)."
run az deployment group create --subscription "$subscription_id" --resource-group "$resource_group" \
  --name "$deployment_name" --template-file "$template_file" \
  --parameters namePrefix="$name_prefix" adminUsername="$admin_username" \
  adminPublicKey="$admin_public_key" sshSourceAddressPrefix="$ssh_source" vmSize="$vm_size" \
  installNode="$install_node" secretName="$secret_name" secretValue="$lab_secret_value" \
  --output none

step "Read the deployment's outputs."
deployment_output() { # VARIABLE OUTPUT_NAME
  capture "$1" az deployment group show --subscription "$subscription_id" --resource-group "$resource_group" \
    --name "$deployment_name" --query "properties.outputs.$2.value" --output tsv
}
deployment_output system_principal_id systemAssignedPrincipalId
deployment_output user_principal_id userAssignedPrincipalId
deployment_output ssh_command sshCommand
deployment_output vault_name vaultName
case $user_assigned_selector in
  client-id) deployment_output user_assigned_id userAssignedClientId ;;
  object-id) user_assigned_id=$user_principal_id ;;
  resource-id) deployment_output user_assigned_id userAssignedResourceId ;;
esac

# --- 4. Reader on the subscription ---------------------------------------------------------------
step "Let both identities list the subscription's resource groups: Reader on the subscription."
for principal_id in "$system_principal_id" "$user_principal_id"; do
  run az role assignment create --assignee-object-id "$principal_id" \
    --assignee-principal-type ServicePrincipal --role Reader \
    --scope "/subscriptions/$subscription_id" --output none
done

# --- 5. Next steps -------------------------------------------------------------------------------
case $user_assigned_selector in
  client-id) selector_flag=--client-id selector_env=AZURE_CLIENT_ID ;;
  object-id) selector_flag=--object-id selector_env=AZURE_MANAGED_IDENTITY_OBJECT_ID ;;
  *) selector_flag=--resource-id selector_env=AZURE_MANAGED_IDENTITY_RESOURCE_ID ;;
esac
node_check="cloud-init status --wait && node --version && pnpm --version"
if [ "$install_node" != true ]; then
  node_check="(no cloud-init: install Node.js 22 or later and pnpm yourself)"
fi
# The sample reads sample-secret by default; another name must be passed.
secret_flag=""
[ "$secret_name" = sample-secret ] || secret_flag=" --secret-name $secret_name"
cleanup_command="scripts/cleanup.sh --resource-group $resource_group --purge-vault"
[ -z "$subscription" ] || cleanup_command="$cleanup_command --subscription $subscription_id"

report <<EOF

Next steps

1. Sign in to the VM. On first boot, cloud-init installs Node.js 24 and pnpm: wait for it.
     $ssh_command
     $node_check

2. On the VM, get the samples (the repository is not published yet: replace <your-org>):
     git clone $repo_url
     cd vm-managed-identity-samples && pnpm install

3. Run samples as the VM's system-assigned identity:
     pnpm --dir samples/list-resource-groups start
     pnpm --dir samples/keyvault-and-resource-groups start --vault-name $vault_name$secret_flag
   The vault holds the secret '$secret_name'.

4. The same as the user-assigned identity, chosen by flag or by environment variable:
     pnpm --dir samples/user-assigned-identity start $selector_flag $user_assigned_id
     $selector_env=$user_assigned_id pnpm --dir samples/keyvault-and-resource-groups start --vault-name $vault_name$secret_flag

5. When you are done, delete everything this script made:
     $cleanup_command
EOF
