// Bad names, unreadable or wrong files and a bad template URI stop the sample with exit 2 and a message naming the
// setting, before any request reaches IMDS or ARM.

import { expectRejectedBeforeAnyRequest, sampleAgainstEmulator } from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";

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
