// uniqueString() and guid() give the values Azure gives, so generated names match real deployments.
//
// Known pairs and where they were published:
// - uniqueString('test') = 'rbgf3xv4ufgzg': takekazuomi/arm-uniquestring (a wrapper around Microsoft's own
//   Azure.Deployments.Expression package), also cloud-maker-ai/terraform-provider-arm2tf tests.
// - uniqueString('asd', 'asdf', 'asdf') = 'iizpqit7ih3cc': Azure/bicep sample baselines (bicepparam
//   "InvalidFunctions" baseline), where Bicep evaluates the call with ARM's engine.
// - uniqueString('/subscriptions/31e9f9a0-.../virtualMachines/bobjacmodm201') = 'yvjxno3je5on2':
//   microsoft/commercial-marketplace-offer-deploy, ArmFunctionsTests ("value from ARM template output").
// - uniqueString('test', 'test2', 'test3') = 'bqgd334z2uj64': cloud-maker-ai/terraform-provider-arm2tf tests.
// - guid('test') = 'd6a5baf1-8b9b-542a-8525-2982f1f98a0c': cloud-maker-ai/terraform-provider-arm2tf tests
//   and cloud-maker-ai/go-guid.
// No value of guid() with several arguments was found from a source that ran Azure itself: the
// multi-argument case is checked against the documented construction instead (RFC 4122 v5 over the
// '-'-joined values in ARM's namespace, as Azure/bicep#20293 and terraform-provider-azurerm#32446 use it).

import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ARM_GUID_NAMESPACE, deterministicGuid, uniqueString } from "../../src/template-engine/index.ts";
import { evaluate } from "./deployment-fixtures.ts";

describe("uniqueString", () => {
  it.each([
    [["test"], "rbgf3xv4ufgzg"],
    [["asd", "asdf", "asdf"], "iizpqit7ih3cc"],
    [
      [
        "/subscriptions/31e9f9a0-9fd2-4294-a0a3-0101246d9700/resourceGroups/rg-modm201-20230913120256/providers/Microsoft.Compute/virtualMachines/bobjacmodm201",
      ],
      "yvjxno3je5on2",
    ],
    [["test", "test2", "test3"], "bqgd334z2uj64"],
  ])("uniqueString(%j) is the value Azure published (%s)", (values, expected) => {
    expect(uniqueString(...values)).toBe(expected);
  });

  it("is 13 characters of a-z and 2-7 for inputs of every tail length", () => {
    for (let length = 0; length < 20; length++) {
      expect(uniqueString("x".repeat(length))).toMatch(/^[a-z2-7]{13}$/);
    }
  });

  it("joins values with '-' before hashing", () => {
    expect(uniqueString("a", "b")).toBe(uniqueString("a-b"));
    expect(uniqueString("a", "b")).not.toBe(uniqueString("ab"));
  });

  it("hashes UTF-8, so non-ASCII input is stable and distinct", () => {
    expect(uniqueString("café")).toMatch(/^[a-z2-7]{13}$/);
    expect(uniqueString("café")).not.toBe(uniqueString("cafe"));
  });

  it("is what the uniqueString() template function returns", () => {
    expect(evaluate("[uniqueString('asd', 'asdf', 'asdf')]")).toBe("iizpqit7ih3cc");
  });

  it("rejects arguments that are not strings, naming the function", () => {
    expect(() => evaluate("[uniqueString(1)]")).toThrow(
      /The template language function 'uniqueString' expects its parameter to be of type 'String'/,
    );
  });
});

describe("guid", () => {
  it("guid('test') is the published value", () => {
    expect(deterministicGuid("test")).toBe("d6a5baf1-8b9b-542a-8525-2982f1f98a0c");
    expect(evaluate("[guid('test')]")).toBe("d6a5baf1-8b9b-542a-8525-2982f1f98a0c");
  });

  it("is an RFC 4122 version 5 UUID of the '-'-joined values in ARM's namespace", () => {
    const namespace = Buffer.from(ARM_GUID_NAMESPACE.replaceAll("-", ""), "hex");
    const digest = createHash("sha1").update(namespace).update("scope-principal-role").digest();
    const expected = digest.subarray(0, 16);
    expected[6] = ((expected[6] as number) & 0x0f) | 0x50;
    expected[8] = ((expected[8] as number) & 0x3f) | 0x80;
    const hex = expected.toString("hex");
    expect(deterministicGuid("scope", "principal", "role")).toBe(
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    );
  });

  it("has version 5 and the RFC 4122 variant", () => {
    expect(deterministicGuid("a", "b", "c")).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
