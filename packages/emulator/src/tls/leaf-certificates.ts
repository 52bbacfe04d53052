// Per-host TLS server contexts, issued on demand (SNI) by the emulator's CA and cached for the process lifetime.
import tls from "node:tls";
import { type CertificateAuthority, createLeafKeys } from "./certificate-authority.ts";

export interface LeafCertificates {
  /** The TLS context that presents a certificate for `hostname`. */
  contextFor(hostname: string): Promise<tls.SecureContext>;
  /** Node's SNICallback shape, for `https.createServer({ SNICallback })`. */
  sniCallback(servername: string, callback: (error: Error | null, context?: tls.SecureContext) => void): void;
}

export function createLeafCertificates(ca: CertificateAuthority): LeafCertificates {
  // One key pair for every host: signing a certificate is fast, generating an RSA key is not.
  const leafKeys = createLeafKeys();
  const contexts = new Map<string, Promise<tls.SecureContext>>();

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
    contextFor,
    sniCallback(servername, callback) {
      contextFor(servername).then(
        (context) => callback(null, context),
        (error: Error) => callback(error),
      );
    },
  };
}
