// The emulator's own certificate authority: created once in the state folder, then used to sign a leaf certificate per intercepted host.
import "reflect-metadata"; // @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs this polyfill first.
import { webcrypto } from "node:crypto";
import { mkdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import * as x509 from "@peculiar/x509";
import { writeFileAtomically } from "../files/atomic-file.ts";
import { withDirectoryLock } from "../files/directory-lock.ts";
import { tightenKeyFileMode } from "../files/key-file-modes.ts";

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

type CryptoKeyPair = webcrypto.CryptoKeyPair;

const RSA_SIGNING = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
} as const;

const CA_CERT_FILE = "ca.pem";
const CA_KEY_FILE = "ca-key.pem";
const CA_LOCK_DIR = "ca.lock";
const CA_SUBJECT = "CN=msi-emulator local CA, O=msi-samples emulator (not trusted outside this machine)";

export interface CertificateAuthority {
  readonly certPath: string;
  readonly certPem: string;
  /** Issues a server certificate for one DNS name, signed by this CA; `leafKeys` is shared by all hosts for speed. */
  issueServerCertificate(hostname: string, leafKeys: CryptoKeyPair): Promise<string>;
}

/** Loads the CA from `home`, creating it (key file mode 0600) on first use; safe when several processes start at once. */
export async function loadOrCreateCertificateAuthority(home: string): Promise<CertificateAuthority> {
  await mkdir(home, { recursive: true, mode: 0o700 });
  const certPath = path.join(home, CA_CERT_FILE);
  const keyPath = path.join(home, CA_KEY_FILE);
  if (!(await caFilesExist(certPath, keyPath))) {
    await withDirectoryLock(path.join(home, CA_LOCK_DIR), async () => {
      if (await caFilesExist(certPath, keyPath)) return;
      const created = await createCertificateAuthority();
      // Key first: a reader that sees the certificate always finds its key.
      await writeFileAtomically(keyPath, created.keyPem, 0o600);
      await writeFileAtomically(certPath, created.certPem, 0o644);
    });
  }
  const certPem = await readFile(certPath, "utf8");
  await tightenKeyFileMode(keyPath);
  const keyPem = await readFile(keyPath, "utf8");
  const caCert = new x509.X509Certificate(certPem);
  const caKey = await webcrypto.subtle.importKey("pkcs8", pemToDer(keyPem), RSA_SIGNING, false, ["sign"]);
  const authorityKeyId = await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey);

  return {
    certPath,
    certPem,
    async issueServerCertificate(hostname, leafKeys) {
      const now = Date.now();
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: randomSerialNumber(),
        subject: `CN=${hostname}`,
        issuer: caCert.subject,
        // Backdated an hour so a client whose clock is slightly behind still accepts it.
        notBefore: new Date(now - 3_600_000),
        notAfter: new Date(now + 365 * 86_400_000),
        publicKey: leafKeys.publicKey,
        signingKey: caKey,
        signingAlgorithm: RSA_SIGNING,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(
            x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
            true,
          ),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
          new x509.SubjectAlternativeNameExtension([{ type: "dns", value: hostname }]),
          await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
          authorityKeyId,
        ],
      });
      return cert.toString("pem");
    },
  };
}

/** A fresh RSA key pair for leaf certificates, with its private key as PEM for `tls.createSecureContext`. */
export async function createLeafKeys(): Promise<{ keys: CryptoKeyPair; privateKeyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(RSA_SIGNING, true, ["sign", "verify"])) as CryptoKeyPair;
  const der = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { keys, privateKeyPem: derToPem(new Uint8Array(der), "PRIVATE KEY") };
}

async function createCertificateAuthority(): Promise<{ certPem: string; keyPem: string }> {
  const keys = (await webcrypto.subtle.generateKey(RSA_SIGNING, true, ["sign", "verify"])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    name: CA_SUBJECT,
    notBefore: new Date(now - 86_400_000),
    notAfter: new Date(now + 10 * 365 * 86_400_000),
    keys,
    signingAlgorithm: RSA_SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  const keyDer = await webcrypto.subtle.exportKey("pkcs8", keys.privateKey);
  return { certPem: cert.toString("pem"), keyPem: derToPem(new Uint8Array(keyDer), "PRIVATE KEY") };
}

async function caFilesExist(certPath: string, keyPath: string): Promise<boolean> {
  try {
    await stat(certPath);
    await stat(keyPath);
    return true;
  } catch {
    return false;
  }
}

function randomSerialNumber(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // keep it positive in DER
  return Buffer.from(bytes).toString("hex");
}

function derToPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

function pemToDer(pem: string): Uint8Array {
  const base64 = pem.replace(/-----(BEGIN|END) [^-]+-----/g, "").replace(/\s+/g, "");
  return new Uint8Array(Buffer.from(base64, "base64"));
}
