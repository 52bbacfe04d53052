// Managed identity access tokens: RS256 JWTs signed by the emulator's key, with the claims of a real one.
import {
  createHash,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
  type webcrypto,
} from "node:crypto";
import { link, mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { CompactSign, compactVerify, decodeProtectedHeader, importPKCS8 } from "jose";
import { writeFileAtomically } from "../files/atomic-file.ts";
import { tightenKeyFileMode } from "../files/key-file-modes.ts";
import type { ManagedIdentity } from "../state/world-state.ts";

const SIGNING_KEY_FILE = "token-signing-key.pem";

/** Entra-protected services (ARM, Key Vault) accept tokens up to 5 minutes before `nbf`, for clock skew. */
export const CLOCK_SKEW_SECONDS = 300;

/** The token of an `Authorization: Bearer <token>` header; undefined when the header is missing or has another form. */
export function bearerTokenOf(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1];
}

/** The claims of a managed identity token (as in a real one, decoded: aud, iss, tid, oid, sub, appid, idtyp, xms_mirid...). */
export interface AccessTokenClaims {
  aud: string;
  iss: string;
  iat: number;
  nbf: number;
  exp: number;
  aio: string;
  appid: string;
  appidacr: string;
  idp: string;
  idtyp: "app";
  oid: string;
  rh: string;
  sub: string;
  tid: string;
  uti: string;
  ver: "1.0";
  xms_mirid: string;
  [claim: string]: unknown;
}

export interface IssuedToken {
  accessToken: string;
  claims: AccessTokenClaims;
}

export type TokenCheck =
  | { outcome: "valid"; claims: AccessTokenClaims }
  | { outcome: "unreadable" }
  | { outcome: "bad-signature" };

export class TokenService {
  readonly #privateKey: webcrypto.CryptoKey | KeyObject;
  readonly #publicKey: KeyObject;
  readonly #keyId: string;

  private constructor(privateKey: webcrypto.CryptoKey | KeyObject, publicKey: KeyObject) {
    this.#privateKey = privateKey;
    this.#publicKey = publicKey;
    const der = publicKey.export({ type: "spki", format: "der" });
    this.#keyId = createHash("sha1").update(der).digest("base64url");
  }

  /** Uses the signing key kept in `home` (created once, mode 0600), so tokens stay valid across restarts. */
  static async fromHome(home: string): Promise<TokenService> {
    const pem = await loadOrCreateSigningKey(home);
    const privateKey = await importPKCS8(pem, "RS256");
    return new TokenService(privateKey, createPublicKey(pem));
  }

  /** Issues a token for `identity` and `resource`. `lifetimeSeconds` may be negative, to make an already expired token. */
  async issue(options: {
    identity: ManagedIdentity;
    tenantId: string;
    resource: string;
    lifetimeSeconds: number;
    vmResourceId?: string;
  }): Promise<IssuedToken> {
    const now = Math.floor(Date.now() / 1000);
    const issuer = `https://sts.windows.net/${options.tenantId}/`;
    const claims: AccessTokenClaims = {
      aud: options.resource,
      iss: issuer,
      iat: Math.min(now, now + options.lifetimeSeconds),
      nbf: Math.min(now, now + options.lifetimeSeconds),
      exp: now + options.lifetimeSeconds,
      aio: randomBytes(24).toString("base64url"),
      appid: options.identity.clientId,
      appidacr: "2",
      idp: issuer,
      idtyp: "app",
      oid: options.identity.principalId,
      rh: `0.${randomBytes(32).toString("base64url")}.`,
      sub: options.identity.principalId,
      tid: options.tenantId,
      uti: randomBytes(16).toString("base64url"),
      ver: "1.0",
      xms_mirid: options.identity.resourceId,
      ...(options.identity.kind === "user" && options.vmResourceId
        ? { xms_az_rid: options.vmResourceId }
        : {}),
    };
    const accessToken = await new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
      .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: this.#keyId, kid: this.#keyId })
      .sign(this.#privateKey);
    return { accessToken, claims };
  }

  /** Checks the signature only; expiry and audience are the caller's business (each service words them its own way). */
  async check(token: string): Promise<TokenCheck> {
    try {
      const header = decodeProtectedHeader(token);
      if (header.alg !== "RS256") return { outcome: "bad-signature" };
    } catch {
      return { outcome: "unreadable" };
    }
    try {
      const { payload } = await compactVerify(token, this.#publicKey);
      const claims = JSON.parse(new TextDecoder().decode(payload)) as AccessTokenClaims;
      if (typeof claims !== "object" || claims === null || typeof claims.oid !== "string")
        return { outcome: "unreadable" };
      return { outcome: "valid", claims };
    } catch (error) {
      const code = (error as { code?: string }).code;
      return code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED"
        ? { outcome: "bad-signature" }
        : { outcome: "unreadable" };
    }
  }
}

async function loadOrCreateSigningKey(home: string): Promise<string> {
  const keyPath = path.join(home, SIGNING_KEY_FILE);
  try {
    const pem = await readFile(keyPath, "utf8");
    await tightenKeyFileMode(keyPath);
    return pem;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  await mkdir(home, { recursive: true, mode: 0o700 });
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const temp = path.join(home, `.${SIGNING_KEY_FILE}.${randomUUID()}`);
  await writeFileAtomically(temp, pem, 0o600);
  try {
    // link() fails if the key exists: when processes race, the first key wins and everyone reads it.
    await link(temp, keyPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await rm(temp, { force: true });
  }
  return readFile(keyPath, "utf8");
}
