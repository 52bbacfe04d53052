// ARM reads request bodies with a lenient JSON reader (comments, unquoted property names, trailing commas), and the
// Azure CLI depends on it: `az deployment group create --template-file` sends the file verbatim after an unquoted
// `template:` key. What is not JSON at all is still 400 InvalidRequestContent.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Emulator, startEmulator } from "../src/index.ts";
import { SUBSCRIPTION_ID } from "./default-scenario.ts";
import { httpsThroughProxy } from "./raw-requests.ts";

describe("ARM request bodies", () => {
  let emulator: Emulator;
  let authorization: string;

  beforeAll(async () => {
    emulator = await startEmulator();
    authorization = `Bearer ${await emulator.issueToken({ resource: "https://management.core.windows.net/" })}`;
  });

  afterAll(async () => {
    await emulator.stop();
  });

  const send = (method: string, path: string, body: string) =>
    httpsThroughProxy(emulator.port, {
      method,
      path,
      headers: { authorization, "content-type": "application/json" },
      body,
    });

  it("accepts a deployment body as the Azure CLI splices it: unquoted `template:` key, template with comments", async () => {
    const template = `{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  // a line comment
  "parameters": { "greeting": { "type": "string" } }, /* a block comment */
  "resources": [],
  "outputs": { "message": { "type": "string", "value": "[parameters('greeting')]" } }
}`;
    const body = `{"properties": {"parameters": {"greeting": {"value": "hi"}}, "mode": "Incremental", template:${template}}}`;
    const path = `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.Resources/deployments/spliced?api-version=2021-04-01`;

    const response = await send("PUT", path, body);
    expect(response.status).toBe(201);
    const poll = await httpsThroughProxy(emulator.port, { path, headers: { authorization } });
    expect(poll.json).toMatchObject({
      properties: { provisioningState: "Succeeded", outputs: { message: { value: "hi" } } },
    });
  });

  it("accepts trailing commas and unquoted names in a resource group body", async () => {
    const response = await send(
      "PUT",
      `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-lenient?api-version=2021-04-01`,
      `{ location: "westus2", tags: { origin: "hand-written", }, }`,
    );
    expect(response.status).toBe(201);
    expect(response.json).toMatchObject({ name: "rg-lenient", tags: { origin: "hand-written" } });
  });

  it("still refuses a body that is not JSON with 400 InvalidRequestContent", async () => {
    const response = await send(
      "PUT",
      `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-broken?api-version=2021-04-01`,
      `{ "location": "westus2", `,
    );
    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ error: { code: "InvalidRequestContent" } });
  });
});
