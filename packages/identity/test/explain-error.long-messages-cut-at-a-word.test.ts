// The fallback keeps real Azure messages whole (a deployment's message, tracking ID and link, and its inner errors) and
// bounds only what would flood a terminal: cut at a word, saying how much was left out, never silently mid-way.
import { RestError } from "@azure/core-rest-pipeline";
import { describe, expect, it } from "vitest";
import { explainError } from "../src/index.ts";

describe("explainError's bounds", () => {
  it("keeps a real deployment error whole, inner errors included", () => {
    const message =
      "The template deployment 'msi-sample-20261127T101500Z' is not valid according to the validation procedure. The tracking id is '6a4df36e-44dd-4552-9175-cdd607e96477'. See inner errors for details. Please see https://aka.ms/arm-deploy for usage details.";
    const error = new RestError(message, { code: "InvalidTemplateDeployment", statusCode: 400 });
    error.details = {
      error: {
        code: "InvalidTemplateDeployment",
        message,
        details: [
          {
            code: "PreflightValidationCheckFailed",
            message: "Preflight validation failed. Please refer to the details for the specific errors.",
            details: [
              {
                code: "AccountNameInvalid",
                target: "name-too-long-to-pass-validationuasd2ra55mt7k",
                message:
                  "name-too-long-to-pass-validationuasd2ra55mt7k is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.",
              },
            ],
          },
        ],
      },
    };
    const explained = explainError(error).message;
    expect(explained).toBe(
      [
        `${message} (InvalidTemplateDeployment, HTTP 400)`,
        "  PreflightValidationCheckFailed: Preflight validation failed. Please refer to the details for the specific errors.",
        "    AccountNameInvalid: name-too-long-to-pass-validationuasd2ra55mt7k is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only. (target: name-too-long-to-pass-validationuasd2ra55mt7k)",
      ].join("\n"),
    );
    expect(explained).not.toContain("…");
  });

  it("cuts a message too long for a terminal at a word, and says how much is left out", () => {
    const words = Array.from({ length: 400 }, (_, index) => `word${index}`);
    const explained = explainError(new Error(words.join(" "))).message;
    const match = /^(.*) … \[(\d+) more characters; --verbose prints them all\]$/.exec(explained);
    expect(match, explained).not.toBeNull();
    const [, kept = "", more = ""] = match ?? [];
    expect(kept.length).toBeLessThanOrEqual(1000);
    expect(kept.length).toBeGreaterThan(900);
    // Whole words only, and the count is what really was left out.
    expect(words.join(" ").startsWith(`${kept} `)).toBe(true);
    expect(kept.length + Number(more)).toBe(words.join(" ").length);
  });

  it("lists at most a screenful of inner errors, and says how many more there are", () => {
    const error = new RestError("Preflight validation failed.", {
      code: "InvalidTemplateDeployment",
      statusCode: 400,
    });
    error.details = {
      error: {
        code: "InvalidTemplateDeployment",
        message: "Preflight validation failed.",
        details: Array.from({ length: 20 }, (_, index) => ({
          code: "QuotaExceeded",
          message: `Quota ${index} exceeded.`,
        })),
      },
    };
    const lines = explainError(error).message.split("\n");
    expect(lines).toHaveLength(1 + 12);
    expect(lines[11]).toBe("  QuotaExceeded: Quota 10 exceeded.");
    expect(lines[12]).toBe("  … and 9 more inner errors (--verbose prints them all)");
  });
});
