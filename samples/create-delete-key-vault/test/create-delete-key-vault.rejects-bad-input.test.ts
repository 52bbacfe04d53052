// A run nobody can confirm (no --yes, no terminal), a vault name Azure would refuse, or a region written as a
// display name stop the sample with exit 2 and a message naming the setting, before any request.

import {
  expectRejectedBeforeAnyRequest,
  sampleAgainstEmulator,
  vmSettingFlags,
} from "@msi-samples/sample-runner/test";
import { describe, it } from "vitest";

describe("create-delete-key-vault rejects bad input before any request", () => {
  const sample = sampleAgainstEmulator("create-delete-key-vault");

  it("not on a terminal and no --yes", async () => {
    expectRejectedBeforeAnyRequest(await sample.run(), "--yes");
  });

  it("a vault name Azure would refuse", async () => {
    const result = await sample.run(["--yes", "--vault-name", "1st-vault"]);
    expectRejectedBeforeAnyRequest(result, "--vault-name", "'1st-vault'");
  });

  it("a region written as a display name", async () => {
    const result = await sample.run(["--yes", ...vmSettingFlags(sample.emulator, { location: "West US 2" })]);
    expectRejectedBeforeAnyRequest(result, "--location", "'West US 2'");
  });

  it("an object ID that is not a GUID", async () => {
    const result = await sample.run(["--yes", "--object-id", "12345"]);
    expectRejectedBeforeAnyRequest(result, "--object-id", "12345");
  });
});
