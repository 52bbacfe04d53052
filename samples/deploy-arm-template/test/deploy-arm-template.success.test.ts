// The sample creates the resource group, deploys the template in Incremental mode, and reads the storage account
// back; the deployment and the account then exist in the emulator, and a second run reuses both.

import { describeRun, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { armClientsFor } from "./arm-clients.ts";

interface Summary {
  resourceGroup: { name: string; created: boolean };
  deployment: {
    name: string;
    provisioningState: string;
    outputs: Record<string, { value: unknown }>;
  };
  storageAccount: { id: string; name: string; primaryEndpoints: Record<string, string> } | null;
}

describe("deploy-arm-template deploys a storage account", () => {
  const sample = sampleAgainstEmulator("deploy-arm-template");
  const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
  const storageAccountsIn = (resourceGroup: string) =>
    sample.emulator.world
      .listResources({ resourceGroup, type: "Microsoft.Storage/storageAccounts" })
      .map((r) => r.name);
  let firstAccount = "";

  it("creates the missing group in the VM's region, deploys, and prints the account's endpoints", async () => {
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(
      `Creating resource group 'msi-sample-rg' in '${sample.emulator.scenario.vm.location}'...`,
    );
    const deploymentName = /as '([^']+)' in 'msi-sample-rg' \(Incremental mode\)/.exec(result.stdout)?.[1];
    expect(deploymentName).toMatch(/^msi-sample-\d{8}T\d{6}Z$/);
    expect(result.stdout).toContain(`Deployment '${deploymentName}': Succeeded`);
    firstAccount = /output storageAccountName = "([a-z0-9]+)"/.exec(result.stdout)?.[1] ?? "";
    expect(firstAccount).toMatch(/^msisample[a-z0-9]{13}$/);
    expect(result.stdout).toContain(
      `Storage account '${firstAccount}' (Standard_LRS, StorageV2) in westus2:`,
    );
    expect(result.stdout).toContain(`blob  https://${firstAccount}.blob.core.windows.net/`);

    // The emulator's state, seen through its world and through a second SDK client.
    expect(sample.emulator.world.getResourceGroup(subscriptionId(), "msi-sample-rg")).toMatchObject({
      location: sample.emulator.scenario.vm.location,
    });
    expect(storageAccountsIn("msi-sample-rg")).toEqual([firstAccount]);
    const { deployments, storage } = armClientsFor(sample.emulator);
    const deployment = await deployments.deployments.get("msi-sample-rg", deploymentName!);
    expect(deployment.properties).toMatchObject({
      provisioningState: "Succeeded",
      mode: "Incremental",
      outputs: { storageAccountName: { value: firstAccount } },
    });
    const account = await storage.storageAccounts.getProperties("msi-sample-rg", firstAccount);
    expect(account).toMatchObject({
      kind: "StorageV2",
      sku: { name: "Standard_LRS" },
      provisioningState: "Succeeded",
    });
    expect(result.tally).toMatchObject({ imdsTokens: 1, keyVault: 0 });
  });

  it("--json, run again: the group exists, and the same account is updated rather than a second created", async () => {
    const result = await sample.run(["--json", "--deployment-name", "second-run"]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stderr).toContain("Using existing resource group 'msi-sample-rg'.");
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.resourceGroup).toEqual({ name: "msi-sample-rg", created: false });
    expect(summary.deployment).toMatchObject({ name: "second-run", provisioningState: "Succeeded" });
    expect(summary.storageAccount?.name).toBe(firstAccount);
    expect(summary.storageAccount?.primaryEndpoints.blob).toBe(
      `https://${firstAccount}.blob.core.windows.net/`,
    );
    expect(storageAccountsIn("msi-sample-rg")).toEqual([firstAccount]);
    const { deployments } = armClientsFor(sample.emulator);
    const names: string[] = [];
    for await (const d of deployments.deployments.listByResourceGroup("msi-sample-rg"))
      names.push(d.name ?? "");
    expect(names).toContain("second-run");
    expect(names).toHaveLength(2);
  });

  it("--template-uri deploys the quickstart the original links to, with a given account name and region", async () => {
    const quickstart =
      "https://raw.githubusercontent.com/Azure/azure-quickstart-templates/master/quickstarts/microsoft.storage/storage-account-create/azuredeploy.json";
    const result = await sample.run([
      "--template-uri",
      quickstart,
      "--resource-group",
      "rg-linked-template",
      "--location",
      "eastus",
      "--storage-account-name",
      "linkedstore0001",
      "--json",
    ]);
    expect(result.status, describeRun(result)).toBe(0);
    const summary = JSON.parse(result.stdout) as Summary;
    expect(summary.resourceGroup).toEqual({ name: "rg-linked-template", created: true });
    expect(summary.storageAccount?.name).toBe("linkedstore0001");
    expect(sample.emulator.world.getResourceGroup(subscriptionId(), "rg-linked-template")?.location).toBe(
      "eastus",
    );
    const { deployments, storage } = armClientsFor(sample.emulator);
    const deployment = await deployments.deployments.get("rg-linked-template", summary.deployment.name);
    expect(deployment.properties?.templateLink?.uri).toBe(quickstart);
    const account = await storage.storageAccounts.getProperties("rg-linked-template", "linkedstore0001");
    expect(account.location).toBe("eastus");
  });
});
