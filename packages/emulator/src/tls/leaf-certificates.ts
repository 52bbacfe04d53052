// Per-host TLS server contexts, issued on demand (SNI) by the emulator's CA, the most recently used ones cached.
import tls from "node:tls";
import { LRUCache } from "lru-cache";
import { type CertificateAuthority, createLeafKeys } from "./certificate-authority.ts";

export interface LeafCertificates {
  /** The TLS context that presents a certificate for `hostname`. */
  contextFor(hostname: string): Promise<tls.SecureContext>;
  /** Node's SNICallback shape, for `https.createServer({ SNICallback })`. */
  sniCallback(servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void): void;
}

/**
 * A context holds ~50 KB; every distinct SNI name a client sends would otherwise stay cached for good. The emulated
 * world rarely has more than a few dozen hosts, so this many always covers the ones in use.
 */
export const CERTIFICATE_CACHE_SIZE = 256;

export function createLeafCertificates(
  ca: CertificateAuthority,
  cacheSize = CERTIFICATE_CACHE_SIZE,
): LeafCertificates & { readonly cachedCount: number } {
  // One key pair for every host: signing a certificate is fast, generating an RSA key is not.
  const leafKeys = createLeafKeys();
  const contexts = new LRUCache<string, Promise<tls.SecureContext>>({ max: cacheSize });

  const contextFor = (hostname: string): Promise<tls.SecureContext> => {
    const key = hostname.toLowerCase();
    let context = contexts.get(key);
    if (!context) {
      context = (async () => {
        const { keys, privateKeyPem } = await leafKeys;
        const certPem = await ca.issueServerCertificate(key, keys);
        return tls.createSecureContext({
          key: privateKeyPem,
          cert: `${certPem.trimEnd()}\n${ca.certPem.trimEnd()}\n`,
        });
      })();
      context.catch(() => contexts.delete(key));
      contexts.set(key, context);
    }
    return context;
  };

  return {
    get cachedCount() {
      return contexts.size;
    },
    contextFor,
    sniCallback(servername, callback) {
      contextFor(servername).then(
        (context) => callback(null, context),
        (error: Error) => callback(error),
      );
    },
  };
}
