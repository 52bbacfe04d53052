// Bad names, unreadable or wrong files and a bad template URI stop the sample with exit 2 and a message naming the
// setting, before any request reaches IMDS or ARM.
import { afterAll, beforeAll, describe, it } from "vitest";
import { type Emulator, startEmulator } from "../../../packages/emulator/src/index.ts";
import {
  expectRejectedBeforeAnyRequest,
  sampleRunner,
} from "../../../scripts/test/support/sample-end-to-end.ts";

describe("deploy-arm-template rejects bad input before any request", () => {
  let emulator: Emulator;
  let run: ReturnType<typeof sampleRunner>;
  beforeAll(async () => {
    emulator = await startEmulator();
    run = sampleRunner("deploy-arm-template", emulator);
  });
  afterAll(() => emulator.stop());

  it("a storage account name Azure would refuse", async () => {
    const result = await run(["--storage-account-name", "My_Storage"]);
    expectRejectedBeforeAnyRequest(result, "--storage-account-name", "'My_Storage'");
  });

  it("a template file that does not exist", async () => {
    const result = await run(["--template-file", "my-template.json"]);
    expectRejectedBeforeAnyRequest(result, "--template-file", "'my-template.json'", "cannot be read");
  });

  it("a parameters file that is a template", async () => {
    const result = await run(["--parameters-file", "template/azuredeploy.json"]);
    expectRejectedBeforeAnyRequest(result, "--parameters-file", "is not an ARM parameters file");
  });

  it("a template URI Azure cannot download", async () => {
    expectRejectedBeforeAnyRequest(await run(["--template-uri", "file:///tmp/t.json"]), "--template-uri");
  });

  it("a region written as a display name", async () => {
    const result = await run([
      "--subscription-id",
      emulator.scenario.vm.subscriptionId,
      "--location",
      "West Europe",
    ]);
    expectRejectedBeforeAnyRequest(result, "--location", "'West Europe'");
  });
});
