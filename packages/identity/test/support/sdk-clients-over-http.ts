// The real Azure SDK clients the samples use, pointed at a plain-http fake so that the errors a test explains are
// the RestErrors the SDK itself builds from the response. Against the emulator (https, real tokens) they would be
// created the ordinary way instead.

import { ResourceManagementClient } from "@azure/arm-resources";
import { DeploymentsClient } from "@azure/arm-resourcesdeployments";
import type { TokenCredential } from "@azure/core-auth";
import { SecretClient } from "@azure/keyvault-secrets";

export const subscriptionId = "8d10da13-8125-4ba9-a717-bf7490507b3d";

// Never asked: ARM's bearer policy is removed below, and Key Vault asks only after a 401 challenge.
const unusedCredential: TokenCredential = {
  getToken: () => Promise.reject(new Error("no token in these tests")),
};

export function resourceManagementClientFor(url: string): ResourceManagementClient {
  const client = new ResourceManagementClient(unusedCredential, subscriptionId, {
    endpoint: url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  // The SDK refuses to send a bearer token over http; the fake needs none.
  client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  return client;
}

export function deploymentsClientFor(url: string): DeploymentsClient {
  const client = new DeploymentsClient(unusedCredential, subscriptionId, {
    endpoint: url,
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  client.pipeline.removePolicy({ name: "bearerTokenAuthenticationPolicy" });
  return client;
}

export function secretClientFor(url: string): SecretClient {
  return new SecretClient(url, unusedCredential, {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
}

/**
 * The ordinary client, bearer-token policy included, over https to a stub whose self-signed certificate is its only
 * trusted CA: the request carries the credential's token exactly as it would to Azure.
 */
export function resourceManagementClientOverHttps(
  url: string,
  ca: string,
  credential: TokenCredential,
): ResourceManagementClient {
  return new ResourceManagementClient(credential, subscriptionId, {
    endpoint: url,
    tlsOptions: { ca },
    retryOptions: { maxRetries: 0 },
  });
}
