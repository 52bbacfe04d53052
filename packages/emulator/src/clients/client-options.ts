// For in-process tests: Azure SDK client options that route a client through a running emulator, using the SDK's
// own `proxyOptions` (no mocks). TLS trust still comes from NODE_EXTRA_CA_CERTS, set before the process started.

export interface EmulatorProxyClientOptions {
  proxyOptions: { host: string; port: number };
}

/**
 * `new ResourceManagementClient(credential, subscriptionId, clientOptionsFor(emulator))`, and the same for
 * `new ManagedIdentityCredential({ ...clientOptionsFor(emulator) })`: IMDS, ARM and Key Vault traffic then goes to
 * the emulator's proxy exactly as it would with HTTPS_PROXY set.
 */
export function clientOptionsFor(emulator: { port: number }): EmulatorProxyClientOptions {
  return { proxyOptions: { host: "http://127.0.0.1", port: emulator.port } };
}
