// The samples' tests check every run's output against JWT_PATTERN; this shows the pattern catches the tokens the
// emulator really issues (both identities, both audiences), so that check can fail.

import { type Emulator, startEmulator } from "@msi-samples/emulator";
import { JWT_PATTERN } from "@msi-samples/sample-runner/test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

describe("JWT_PATTERN", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterAll(() => emulator.stop());

  it.each([
    { identity: "system", resource: "https://management.azure.com" },
    { identity: "id-msi-samples", resource: "https://vault.azure.net" },
  ])(
    "matches a token for $identity and $resource, even inside a line of text",
    async ({ identity, resource }) => {
      const token = await emulator.issueToken({ identity, resource });
      expect(`Authorization: Bearer ${token}.`).toMatch(JWT_PATTERN);
      expect(JWT_PATTERN.exec(token)?.[0]).toBe(token);
    },
  );
});
