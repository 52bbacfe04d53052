"""Deploys the deploy-arm-template sample's template with the VM's managed identity and reads the storage account it
creates, with Debian's python3-azure. Prints one JSON object.

Run by other-clients.python-sdk.test.ts; by hand, from the repository root:
    pnpm emulator exec -- /usr/bin/python3 packages/emulator/test/other-clients/python/deploy_template.py
"""

import argparse
import json
from pathlib import Path

from azure.identity import ManagedIdentityCredential
from azure.mgmt.resource import ResourceManagementClient
from azure.mgmt.storage import StorageManagementClient

TEMPLATE_DIR = Path(__file__).resolve().parents[5] / "samples" / "deploy-arm-template" / "template"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscription-id", default="3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37")
    parser.add_argument("--resource-group", default="rg-msi-samples")
    parser.add_argument("--deployment-name", default="storage-from-python")
    args = parser.parse_args()

    credential = ManagedIdentityCredential()
    template = json.loads((TEMPLATE_DIR / "azuredeploy.json").read_text())
    parameters = json.loads((TEMPLATE_DIR / "azuredeploy.parameters.json").read_text())["parameters"]

    resources = ResourceManagementClient(credential, args.subscription_id)
    poller = resources.deployments.begin_create_or_update(
        args.resource_group,
        args.deployment_name,
        {"properties": {"mode": "Incremental", "template": template, "parameters": parameters}},
    )
    deployment = poller.result()
    account_name = deployment.properties.outputs["storageAccountName"]["value"]

    storage = StorageManagementClient(credential, args.subscription_id)
    account = storage.storage_accounts.get_properties(args.resource_group, account_name)
    keys = storage.storage_accounts.list_keys(args.resource_group, account_name).keys

    print(
        json.dumps(
            {
                "provisioningState": deployment.properties.provisioning_state,
                "outputs": deployment.properties.outputs,
                "storageAccount": {
                    "id": account.id,
                    "name": account.name,
                    "kind": account.kind,
                    "sku": account.sku.name,
                    "blobEndpoint": account.primary_endpoints.blob,
                },
                "keyNames": [key.key_name for key in keys],
            }
        )
    )


if __name__ == "__main__":
    main()
