// A throwaway self-signed certificate for 127.0.0.1, made at test time, so that an SDK client can talk to a stub over
// https (its bearer-token policy refuses plain http) while trusting only this certificate (the client's tlsOptions.ca).
import "reflect-metadata"; // @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs this first.
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface SelfSignedCertificate {
  /** PEM certificate: the server's `cert` and the client's only trusted `ca`. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
}

export async function selfSignedCertificateFor127001(): Promise<SelfSignedCertificate> {
  const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
  const keys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const now = Date.now();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=127.0.0.1",
    notBefore: new Date(now - 60_000),
    notAfter: new Date(now + 24 * 3600_000),
    keys,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.SubjectAlternativeNameExtension([{ type: "ip", value: "127.0.0.1" }]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", keys.privateKey));
  const key = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").replace(/.{64}/g, "$&\n").trimEnd()}\n-----END PRIVATE KEY-----\n`;
  return { cert: certificate.toString("pem"), key };
}
