"""Sets a Key Vault secret and reads it back with the VM's managed identity, with Debian's python3-azure. Prints one
JSON object: the secret, or the service's error (status, code, message) when Key Vault refuses (exit status 2).

Run by other-clients.python-sdk.test.ts; by hand, from the repository root:
    pnpm emulator exec -- /usr/bin/python3 packages/emulator/test/other-clients/python/set_secret.py --name demo --value hi
"""

import argparse
import json
import sys

from azure.core.exceptions import HttpResponseError
from azure.identity import ManagedIdentityCredential
from azure.keyvault.secrets import SecretClient


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--client-id", help="client ID of a user-assigned identity")
    parser.add_argument("--vault-url", default="https://kv-msi-samples.vault.azure.net")
    parser.add_argument("--name", required=True)
    parser.add_argument("--value", required=True)
    args = parser.parse_args()

    credential = ManagedIdentityCredential(client_id=args.client_id) if args.client_id else ManagedIdentityCredential()
    client = SecretClient(args.vault_url, credential)
    try:
        written = client.set_secret(args.name, args.value, content_type="text/plain")
    except HttpResponseError as error:
        code = error.error.code if error.error else None
        print(json.dumps({"error": {"status": error.status_code, "code": code, "message": error.message}}))
        return 2
    read = client.get_secret(args.name)
    print(
        json.dumps(
            {
                "written": {"id": written.id, "version": written.properties.version},
                "read": {"value": read.value, "version": read.properties.version, "contentType": read.properties.content_type},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
