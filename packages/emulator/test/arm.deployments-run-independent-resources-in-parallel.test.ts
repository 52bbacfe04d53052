// ARM starts each resource of a deployment as soon as the resources it depends on are deployed: two independent
// storage accounts are created at the same time (their deployment operations overlap), and a resource that depends
// on both starts only after both finished. Realistic latency makes each create take seconds, so the overlap shows in
// the operations' start and end times (Deployments - operations list: timestamp = end, duration).
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import { ManagedIdentityCredential } from "@azure/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientOptionsFor, type Emulator, startEmulator } from "../src/index.ts";
import { armTemplate } from "./arm-fixtures.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";

const account = (name: string) => ({
  type: "Microsoft.Storage/storageAccounts",
  apiVersion: "2023-05-01",
  name,
  location: "westus2",
  sku: { name: "Standard_LRS" },
  kind: "StorageV2",
});

/** An ISO 8601 duration such as PT3.512S, in milliseconds. */
const durationMs = (duration: string) => Number(/PT([\d.]+)S/.exec(duration)?.[1] ?? 0) * 1000;

describe("a deployment's independent resources", () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ latency: "realistic" });
  });
  afterAll(() => emulator.stop());

  it("are created in parallel, and a dependent resource waits for both", async () => {
    const options = clientOptionsFor(emulator);
    const client = new DeploymentsClient(new ManagedIdentityCredential(options), SUBSCRIPTION_ID, options);
    const template = armTemplate({
      resources: [
        account("msiparallela"),
        account("msiparallelb"),
        {
          type: "Microsoft.ManagedIdentity/userAssignedIdentities",
          apiVersion: "2023-01-31",
          name: "id-after-both",
          location: "westus2",
          dependsOn: ["msiparallela", "msiparallelb"].map(
            (name) => `[resourceId('Microsoft.Storage/storageAccounts', '${name}')]`,
          ),
        },
      ],
    });
    const result = await client.deployments.beginCreateOrUpdateAndWait(
      "rg-msi-samples",
      "parallel",
      { properties: { mode: "Incremental", template } },
      { updateIntervalInMs: 500 },
    );
    expect(result.properties?.provisioningState).toBe("Succeeded");

    const spans = new Map<string, { start: number; end: number }>();
    for await (const operation of client.deploymentOperations.list("rg-msi-samples", "parallel")) {
      const name = operation.properties?.targetResource?.resourceName;
      const end = operation.properties?.timestamp?.getTime() ?? 0;
      if (name) spans.set(name, { start: end - durationMs(operation.properties?.duration ?? ""), end });
    }
    const [a, b, after] = ["msiparallela", "msiparallelb", "id-after-both"].map((name) => spans.get(name));
    if (!a || !b || !after) throw new Error(`missing operations: ${[...spans.keys()].join(", ")}`);
    // Overlap: each account started before the other one ended.
    expect(a.start).toBeLessThan(b.end);
    expect(b.start).toBeLessThan(a.end);
    expect(after.start).toBeGreaterThanOrEqual(Math.max(a.end, b.end));
  }, 60_000);
});
