// Failed template deployments, from the errors the real DeploymentsClient throws: ARM's inner errors listed where the
// SDK kept them (or the caller passes the deployment's own error), and where it did not, the `az` command that shows
// them.
import { afterEach, describe, expect, it } from "vitest";
import { explainError } from "../src/index.ts";
import { armDeploymentFailedError, armInvalidTemplateDeployment } from "./support/azure-error-bodies.ts";
import { type HttpStub, type Responder, startHttpStub } from "./support/http-stub.ts";
import { deploymentsClientFor } from "./support/sdk-clients-over-http.ts";

const properties = { mode: "Incremental" as const, template: { resources: [] } };

describe("a failed deployment", () => {
  let arm: HttpStub;
  afterEach(() => arm.close());

  async function failure(
    respond: Responder,
    call: (client: ReturnType<typeof deploymentsClientFor>) => Promise<unknown>,
  ) {
    arm = await startHttpStub(respond);
    return call(deploymentsClientFor(arm.url)).then(
      () => expect.fail("the call should have failed"),
      (error: unknown) => error,
    );
  }

  it("failing validation: the SDK keeps no inner errors, so the explanation says how to see them", async () => {
    const error = await failure(
      () => armInvalidTemplateDeployment("dep1", "msisample42"),
      (client) => client.deployments.createOrUpdate("rg-samples", "dep1", { properties }),
    );
    expect(error).toMatchObject({ name: "RestError", code: "InvalidTemplateDeployment", statusCode: 400 });
    expect((error as { details?: unknown }).details).toBeUndefined();
    expect(explainError(error)).toEqual({
      message: [
        "The template deployment 'dep1' is not valid according to the validation procedure. The tracking id is '42219c05-7e90-45ea-acdd-e6b71a4187cd'. See inner errors for details. (InvalidTemplateDeployment, HTTP 400)",
        "The SDK did not keep ARM's inner errors, which say what is invalid. See them with: az deployment group validate --resource-group rg-samples --template-file <template file> --parameters <parameters file>",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("failing while it runs: the poller's plain Error, and the command that lists the failed operations", async () => {
    const error = await failure(
      (request) =>
        request.path.endsWith("/operationStatuses/op1")
          ? { status: 200, json: { status: "Failed", error: armDeploymentFailedError("msisample42") } }
          : {
              status: 201,
              headers: { "azure-asyncoperation": `${arm.url}/operationStatuses/op1` },
              json: { properties: { provisioningState: "Accepted" } },
            },
      (client) =>
        client.deployments.createOrUpdate("rg-samples", "dep1", { properties }, { updateIntervalInMs: 0 }),
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^The long-running operation has failed\. DeploymentFailed\. /);
    expect(explainError(error)).toEqual({
      message: [
        "The deployment failed: At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details. (DeploymentFailed)",
        `See which resources failed, and why: az deployment operation group list --resource-group <resource group> --name <deployment name> --query "[?properties.provisioningState=='Failed'].properties.statusMessage"`,
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("with the deployment's own error as the cause: every inner error, one per line, the provider's JSON unpacked", async () => {
    // What a sample does when the poller fails: read the deployment, whose error keeps the inner errors.
    arm = await startHttpStub(() => ({
      status: 200,
      json: {
        id: "/subscriptions/8d10da13-8125-4ba9-a717-bf7490507b3d/resourceGroups/rg-samples/providers/Microsoft.Resources/deployments/dep1",
        name: "dep1",
        properties: { provisioningState: "Failed", error: armDeploymentFailedError("msisample42") },
      },
    }));
    const failed = await deploymentsClientFor(arm.url).deployments.get("rg-samples", "dep1");
    const error = new Error("Deployment 'dep1' failed.", { cause: failed.properties?.error });
    expect(explainError(error)).toEqual({
      message: [
        "Deployment 'dep1' failed: At least one resource deployment operation failed. Please list deployment operations for details. Please see https://aka.ms/arm-deployment-operations for usage details. (DeploymentFailed)",
        "  Conflict",
        "    StorageAccountAlreadyTaken: The storage account named msisample42 is already taken.",
      ].join("\n"),
      exitCode: 1,
    });
  });

  it("an error whose client kept the inner errors (a modular client's `details`): listed with their targets", async () => {
    const error = await failure(
      () => armInvalidTemplateDeployment("dep1", "msisample42"),
      (client) => client.deployments.get("rg-samples", "dep1"),
    );
    expect((error as { details?: unknown }).details).toMatchObject({
      error: { code: "InvalidTemplateDeployment" },
    });
    expect(explainError(error).message).toBe(
      [
        "The template deployment 'dep1' is not valid according to the validation procedure. The tracking id is '42219c05-7e90-45ea-acdd-e6b71a4187cd'. See inner errors for details. (InvalidTemplateDeployment, HTTP 400)",
        "  PreflightValidationCheckFailed: Preflight validation failed. Please refer to the details for the specific errors.",
        "    StorageAccountAlreadyTaken: The storage account named msisample42 is already taken. (target: msisample42)",
      ].join("\n"),
    );
  });
});
