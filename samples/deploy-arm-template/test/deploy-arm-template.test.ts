// deploy-arm-template end to end against the emulator: what it deploys, as which identity, where it needs a region,
// with a missing role, on bad input, and through IMDS faults (those tests wait on retries, so they wait concurrently).

import {
  describeRun,
  expectIdentityNotOnVm,
  expectRejectedBeforeAnyRequest,
  expectRoleAssignmentHint,
  expectSignedInWithSelector,
  MISSING_ROLE_SCENARIO,
  sampleAgainstEmulator,
  sampleWithOwnEmulator,
  tokenRequestStatuses,
  userAssignedSelectors,
} from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";
import { armClientsFor } from "./support/arm-clients.ts";

/** What the sample prints with --json. */
interface Summary {
  resourceGroup: { name: string; created: boolean };
  deployment: {
    name: string;
    provisioningState: string;
    outputs: Record<string, { value: unknown }>;
  };
  storageAccount: { id: string; name: string; primaryEndpoints: Record<string, string> } | null;
}

// Two halves that run side by side: the tests below take turns (each run's requests are read from its describe
// block's emulator, so runs against one emulator must not overlap), while the fault tests further down wait on
// retries, each against an emulator of its own.
describe.concurrent("deploy-arm-template", () => {
  describe("one run at a time", { concurrent: false }, () => {
    // The sample creates the resource group, deploys the template in Incremental mode, and reads the storage account
    // back; the deployment and the account then exist in the emulator, and a second run reuses both.
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
        const deploymentName = /as '([^']+)' in 'msi-sample-rg' \(Incremental mode\)/.exec(
          result.stdout,
        )?.[1];
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

    // --client-id, --object-id and --resource-id each deploy as the user-assigned identity, with the matching IMDS query
    // parameter; an identity not on the VM is explained (exit 1) and nothing is created.
    describe("deploy-arm-template deploys as the identity a selector names", () => {
      const sample = sampleAgainstEmulator("deploy-arm-template");

      it.each(userAssignedSelectors(sample))(
        "$flag sends $parameter to IMDS and deploys",
        async (selector) => {
          const { user } = sample.identities;
          const resourceGroup = `rg-${selector.parameter.replaceAll("_", "-")}`;
          const result = await sample.run([
            selector.flag,
            selector.value(),
            "--resource-group",
            resourceGroup,
          ]);
          expectSignedInWithSelector(result, { selector, user });
          const writes = result.requests.filter((e) => e.service === "arm" && e.method === "PUT");
          expect(writes.length).toBeGreaterThan(0);
          expect(new Set(writes.map((e) => e.principal?.objectId))).toEqual(new Set([user.principalId]));
        },
      );

      it("a resource ID that names no identity on the VM: exit 1, and no group is created", async () => {
        const unknown = sample.identities.user.resourceId.replace(/id-msi-samples$/, "id-not-on-this-vm");
        const result = await sample.run(["--resource-id", unknown, "--resource-group", "rg-never-created"]);
        expectIdentityNotOnVm(result, { flag: "--resource-id", value: unknown });
        const { subscriptionId } = sample.emulator.scenario.vm;
        expect(sample.emulator.world.getResourceGroup(subscriptionId, "rg-never-created")).toBeUndefined();
      });
    });

    // Without the Contributor role the sample exits 1 with the `az role assignment create` command that grants it, and
    // nothing is deployed.
    describe("deploy-arm-template with an identity that may only read one resource group", () => {
      const sample = sampleAgainstEmulator("deploy-arm-template", { scenario: MISSING_ROLE_SCENARIO });
      const subscriptionId = () => sample.emulator.scenario.vm.subscriptionId;
      const storageAccounts = () =>
        sample.emulator.world.listResources({ type: "Microsoft.Storage/storageAccounts" });

      it("into a new group (it may not even see whether it exists): Contributor on the subscription", async () => {
        const result = await sample.run(["--verbose"]);
        expectRoleAssignmentHint(result, {
          objectId: sample.identities.system.principalId,
          role: "Contributor",
          scope: `/subscriptions/${subscriptionId()}`,
        });
        expect(sample.emulator.world.getResourceGroup(subscriptionId(), "msi-sample-rg")).toBeUndefined();
      });

      it("into the group it may read: Contributor on that group", async () => {
        const result = await sample.run(["--resource-group", "rg-msi-samples"]);
        expectRoleAssignmentHint(result, {
          objectId: sample.identities.system.principalId,
          role: "Contributor",
          scope: new RegExp(`/subscriptions/${subscriptionId()}/resourceGroups/rg-msi-samples`, "i"),
        });
        expect(storageAccounts()).toEqual([]);
      });
    });

    // Bad names, unreadable or wrong files and a bad template URI stop the sample with exit 2 and a message naming the
    // setting, before any request reaches IMDS or ARM.
    describe("deploy-arm-template rejects bad input before any request", () => {
      const sample = sampleAgainstEmulator("deploy-arm-template");

      it("a storage account name Azure would refuse", async () => {
        const result = await sample.run(["--storage-account-name", "My_Storage"]);
        expectRejectedBeforeAnyRequest(result, "--storage-account-name", "'My_Storage'");
      });

      it("a template file that does not exist", async () => {
        const result = await sample.run(["--template-file", "my-template.json"]);
        expectRejectedBeforeAnyRequest(result, "--template-file", "'my-template.json'", "cannot be read");
      });

      it("a parameters file that is a template", async () => {
        const result = await sample.run(["--parameters-file", "template/azuredeploy.json"]);
        expectRejectedBeforeAnyRequest(result, "--parameters-file", "is not an ARM parameters file");
      });

      it("a template URI Azure cannot download", async () => {
        const result = await sample.run(["--template-uri", "file:///tmp/t.json"]);
        expectRejectedBeforeAnyRequest(result, "--template-uri");
      });

      it("a region written as a display name", async () => {
        const result = await sample.run([
          "--subscription-id",
          sample.emulator.scenario.vm.subscriptionId,
          "--location",
          "West Europe",
        ]);
        expectRejectedBeforeAnyRequest(result, "--location", "'West Europe'");
      });
    });
  });
});

// The region matters only when the resource group must be created: for an existing group the sample asks neither
// instance metadata nor the user for one, so it runs where IMDS has no metadata to give.
describe.concurrent("deploy-arm-template into an existing group without --location", () => {
  const { subscriptionId, resourceGroup } = {
    subscriptionId: "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37",
    resourceGroup: "rg-msi-samples",
  };

  it("deploys without reading the VM's region", async (context) => {
    const sample = await sampleWithOwnEmulator("deploy-arm-template", context);
    const result = await sample.run(["--subscription-id", subscriptionId, "--resource-group", resourceGroup]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Using existing resource group '${resourceGroup}'.`);
    expect(result.tally).toMatchObject({ imdsMetadata: 0 });
  });

  it("with IMDS unreachable: fails signing in (exit 1), not on a missing region (exit 2)", async (context) => {
    const sample = await sampleWithOwnEmulator("deploy-arm-template", context);
    const result = await sample.run(
      ["--subscription-id", subscriptionId, "--resource-group", resourceGroup],
      {
        env: { AZURE_POD_IDENTITY_AUTHORITY_HOST: "http://127.0.0.1:9" },
      },
    );
    expect(result.status, describeRun(result)).toBe(1);
    expect(result.stderr).not.toContain("Missing location");
    expect(result.stderr).toContain("Cannot reach the managed identity endpoint");
  });
});

// IMDS answering 500 once, or 429 and then 500 on the instance metadata request, is retried: the deployment
// succeeds and the sample exits 0.
describe.concurrent("deploy-arm-template recovers from transient IMDS faults", () => {
  it("IMDS 500 once on the token request", async (context) => {
    const sample = await sampleWithOwnEmulator("deploy-arm-template", context);
    sample.emulator.setFaults({ imdsServerErrors: { count: 1 } });
    const { vm } = sample.emulator.scenario;
    const result = await sample.run(["--subscription-id", vm.subscriptionId, "--location", vm.location]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(tokenRequestStatuses(result)).toEqual([500, 200]);
  });

  it("IMDS 429 with Retry-After, then 500, on the instance metadata request", async (context) => {
    const sample = await sampleWithOwnEmulator("deploy-arm-template", context);
    sample.emulator.setFaults({
      imdsTooManyRequests: { count: 1, retryAfterSeconds: 1 },
      imdsServerErrors: { count: 1 },
    });
    const result = await sample.run();
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.requests.slice(0, 3).map((e) => e.status)).toEqual([429, 500, 200]);
    expect(result.stdout).toContain("Deployment '");
  });
});
