// The region matters only when the resource group must be created: for an existing group the sample asks neither
// instance metadata nor the user for one, so it runs where IMDS has no metadata to give.

import { describeRun, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, expect, it } from "vitest";

describe("deploy-arm-template into an existing group without --location", () => {
  const sample = sampleAgainstEmulator("deploy-arm-template");
  const { subscriptionId, resourceGroup } = {
    subscriptionId: "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37",
    resourceGroup: "rg-msi-samples",
  };

  it("deploys without reading the VM's region", async () => {
    const result = await sample.run(["--subscription-id", subscriptionId, "--resource-group", resourceGroup]);
    expect(result.status, describeRun(result)).toBe(0);
    expect(result.stdout).toContain(`Using existing resource group '${resourceGroup}'.`);
    expect(result.tally).toMatchObject({ imdsMetadata: 0 });
  });

  it("with IMDS unreachable: fails signing in (exit 1), not on a missing region (exit 2)", async () => {
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
