// A stand-in for IMDS (token and instance-metadata endpoints) on 127.0.0.1, answering like the real one or failing
// on purpose. Tests point the code at it with AZURE_POD_IDENTITY_AUTHORITY_HOST; the emulator can replace it.
import { UnsecuredJWT } from "jose";
import type { TestContext } from "vitest";
import { type HttpStub, type RecordedRequest, type Reply, startHttpStub } from "./http-stub.ts";

export const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
export const subscriptionId = "8d10da13-8125-4ba9-a717-bf7490507b3d";
export const systemAssigned = {
  objectId: "4a9e1a3c-6f0e-4b8e-9f1a-0c2d3e4f5a6b",
  clientId: "9b7f0e2d-1c3a-4d5e-8f6a-7b8c9d0e1f2a",
  resourceId: `/subscriptions/${subscriptionId}/resourcegroups/rg-samples/providers/Microsoft.Compute/virtualMachines/vm-samples`,
};
export const userAssigned = {
  objectId: "0f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b",
  clientId: "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
  resourceId: `/subscriptions/${subscriptionId}/resourcegroups/rg-samples/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-samples`,
};

/** An access token shaped like the ones IMDS issues (v1, with oid/appid/tid/xms_mirid); unsigned. */
export function accessTokenFor(identity: typeof systemAssigned, audience: string): string {
  return new UnsecuredJWT({
    aud: audience,
    iss: `https://sts.windows.net/${tenantId}/`,
    oid: identity.objectId,
    appid: identity.clientId,
    tid: tenantId,
    sub: identity.objectId,
    xms_mirid: identity.resourceId,
    idtyp: "app",
  })
    .setIssuedAt()
    .setExpirationTime("1h")
    .encode();
}

/** Token answers, by what IMDS does in each case. */
export const tokenReplies = {
  /** Issues a token to the system-assigned identity, or to the user-assigned one when a selector is sent. */
  issue(request: RecordedRequest): Reply {
    const resource = request.query.resource ?? "";
    const identity =
      request.query.client_id || request.query.object_id || request.query.msi_res_id
        ? userAssigned
        : systemAssigned;
    return {
      status: 200,
      json: {
        access_token: accessTokenFor(identity, resource),
        client_id: identity.clientId,
        expires_in: "86399",
        expires_on: String(Math.floor(Date.now() / 1000) + 86_399),
        ext_expires_in: "86399",
        not_before: String(Math.floor(Date.now() / 1000)),
        resource,
        token_type: "Bearer",
      },
    };
  },
  // Bodies as IMDS sends them (HTTP 400), e.g. seen in Azure/aad-pod-identity#778 and Hexadite/acs-keyvault-agent#43.
  identityNotFound: {
    status: 400,
    json: { error: "invalid_request", error_description: "Identity not found" },
  },
  multipleIdentities: {
    status: 400,
    json: {
      error: "invalid_request",
      error_description:
        "Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request",
    },
  },
} satisfies Record<string, Reply | ((request: RecordedRequest) => Reply)>;

/** The compute metadata of the VM, as GET /metadata/instance/compute?api-version=2021-02-01 returns it. */
export const computeMetadata = {
  azEnvironment: "AzurePublicCloud",
  location: "southcentralus",
  name: "vm-samples",
  osType: "Linux",
  provider: "Microsoft.Compute",
  resourceGroupName: "rg-samples",
  resourceId: systemAssigned.resourceId.replace("resourcegroups", "resourceGroups"),
  subscriptionId,
  tags: "env:test;owner:samples",
  tagsList: [
    { name: "env", value: "test" },
    { name: "owner", value: "samples" },
  ],
  vmId: "02aab8a4-74ef-476e-8182-f6d2ba4166a6",
  vmScaleSetName: "",
  vmSize: "Standard_B2s",
  zone: "",
};

export interface FakeImdsOptions {
  /** Answers GET /metadata/identity/oauth2/token; default: issue a token. */
  token?: (request: RecordedRequest, count: number) => Reply;
  /** Answers GET /metadata/instance/compute; default: computeMetadata. */
  metadata?: (request: RecordedRequest, count: number) => Reply;
}

export interface FakeImds extends HttpStub {
  tokenRequests(): RecordedRequest[];
}

export async function startFakeImds(options: FakeImdsOptions = {}): Promise<FakeImds> {
  let tokenCount = 0;
  let metadataCount = 0;
  const stub = await startHttpStub((request) => {
    // Real IMDS refuses requests without the Metadata header (HTTP 400).
    if (request.headers.metadata !== "true") {
      return {
        status: 400,
        json: { error: "invalid_request", error_description: "Required metadata header not specified" },
      };
    }
    if (request.path.startsWith("/metadata/identity/oauth2/token")) {
      tokenCount += 1;
      return (options.token ?? tokenReplies.issue)(request, tokenCount);
    }
    if (request.path === "/metadata/instance/compute") {
      metadataCount += 1;
      return options.metadata
        ? options.metadata(request, metadataCount)
        : { status: 200, json: computeMetadata };
    }
    return { status: 404, json: { error: "Not found" } };
  });
  return {
    ...stub,
    tokenRequests: () => stub.requests.filter((request) => request.path.startsWith("/metadata/identity/")),
  };
}

/** A fake IMDS closed when the test ends: `context` is the test's own, so that concurrent tests each close theirs. */
export async function fakeImdsForTest(
  context: Pick<TestContext, "onTestFinished">,
  options: FakeImdsOptions = {},
): Promise<FakeImds> {
  const imds = await startFakeImds(options);
  context.onTestFinished(() => imds.close());
  return imds;
}
