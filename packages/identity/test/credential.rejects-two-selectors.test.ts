// Two user-assigned selectors at once is ambiguous: refused before any request, naming both settings.
import { describe, expect, it } from "vitest";
import { explainError, UsageError } from "../src/index.ts";
import { createManagedIdentityCredential } from "./support/credential-under-test.ts";

const clientId = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
const objectId = "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b";

function usageErrorOf(create: () => unknown): UsageError {
  try {
    create();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error("expected a UsageError");
}

describe("two identity selectors", () => {
  it("in options: names both flags", () => {
    const error = usageErrorOf(() => createManagedIdentityCredential({ clientId, objectId, env: {} }));
    expect(error.message).toBe(
      "Choose one user-assigned identity: --client-id and --object-id are both set. Keep one of them, or none for the system-assigned identity.",
    );
    expect(error.setting).toBe("--client-id, --object-id");
    expect(explainError(error)).toEqual({ message: error.message, exitCode: 2 });
  });

  it("in the environment: names both variables", () => {
    const error = usageErrorOf(() =>
      createManagedIdentityCredential({
        env: { AZURE_CLIENT_ID: clientId, AZURE_MANAGED_IDENTITY_OBJECT_ID: objectId },
      }),
    );
    expect(error.message).toContain("AZURE_CLIENT_ID and AZURE_MANAGED_IDENTITY_OBJECT_ID are both set");
  });

  it("one in options and one in the environment is not ambiguous: options win", () => {
    const credential = createManagedIdentityCredential({ objectId, env: { AZURE_CLIENT_ID: clientId } });
    expect(credential.identity).toEqual({ kind: "user-assigned", by: "objectId", value: objectId });
  });

  it("an empty variable counts as unset", () => {
    const credential = createManagedIdentityCredential({
      env: { AZURE_CLIENT_ID: " ", AZURE_MANAGED_IDENTITY_OBJECT_ID: "" },
    });
    expect(credential.identity).toEqual({ kind: "system-assigned" });
  });
});
