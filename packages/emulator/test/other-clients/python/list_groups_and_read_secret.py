"""Signs in with the VM's managed identity, lists the visible subscriptions and the resource groups of the first, and
reads a Key Vault secret, with Debian's python3-azure. Prints one JSON object.

Run by other-clients.python-sdk.test.ts; by hand, from the repository root:
    pnpm emulator exec -- /usr/bin/python3 packages/emulator/test/other-clients/python/list_groups_and_read_secret.py
"""

import argparse
import json

from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient
from azure.mgmt.resource import ResourceManagementClient, SubscriptionClient


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--credential", choices=["managed-identity", "default"], default="managed-identity")
    parser.add_argument("--client-id", help="client ID of a user-assigned identity")
    parser.add_argument("--vault-url", default="https://kv-msi-samples.vault.azure.net")
    parser.add_argument("--secret-name", default="sample-secret")
    args = parser.parse_args()

    if args.credential == "default":
        credential = DefaultAzureCredential(managed_identity_client_id=args.client_id)
    elif args.client_id:
        credential = ManagedIdentityCredential(client_id=args.client_id)
    else:
        credential = ManagedIdentityCredential()

    subscriptions = [
        {"id": s.subscription_id, "name": s.display_name, "tenantId": s.tenant_id}
        for s in SubscriptionClient(credential).subscriptions.list()
    ]
    resources = ResourceManagementClient(credential, subscriptions[0]["id"])
    groups = [group.name for group in resources.resource_groups.list()]
    secret = SecretClient(args.vault_url, credential).get_secret(args.secret_name)

    print(
        json.dumps(
            {
                "subscriptions": subscriptions,
                "groups": groups,
                "secret": {"name": secret.name, "value": secret.value, "version": secret.properties.version},
            }
        )
    )


if __name__ == "__main__":
    main()
