// SDK clients for the tests' second look at the emulator's state (deployments, storage accounts), signed with a
// token the emulator issues directly: this process has no managed identity of its own to ask IMDS with.
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { StorageManagementClient } from "@azure/arm-storage";
import { clientOptionsFor, type Emulator } from "@msi-samples/emulator";

export function armClientsFor(emulator: Emulator): {
  deployments: DeploymentsClient;
  storage: StorageManagementClient;
} {
  const credential: ConstructorParameters<typeof DeploymentsClient>[0] = {
    getToken: async () => ({
      token: await emulator.issueToken({ resource: "https://management.azure.com" }),
      expiresOnTimestamp: Date.now() + 3_600_000,
    }),
  };
  const subscriptionId = emulator.scenario.vm.subscriptionId;
  const options = clientOptionsFor(emulator);
  return {
    deployments: new DeploymentsClient(credential, subscriptionId, options),
    storage: new StorageManagementClient(credential, subscriptionId, options),
  };
}
