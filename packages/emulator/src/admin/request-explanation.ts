// One logged request as the dashboard's detail view shows it: who called (the VM identity behind the token), every
// authorization decision with its reason, the decoded token header and claims (no signature), and for Key Vault the
// challenge pair (the 401 with WWW-Authenticate, then the replay carrying a token for the challenge's resource).
import { explainDecision } from "../auth/authorization-decision.ts";
import type { RequestLog, RequestLogEntry } from "../log/request-log.ts";
import type { WorldState } from "../state/world-state.ts";

/** How far back to look for the 401 a Key Vault request answered (the SDK replays at once). */
const CHALLENGE_LOOKBACK = 200;

function apiVersionOf(path: string): string | undefined {
  const query = path.split("?")[1];
  if (!query) return undefined;
  for (const pair of query.split("&")) {
    const [name = "", value = ""] = pair.split("=");
    if (decodeURIComponent(name).toLowerCase() === "api-version") return decodeURIComponent(value);
  }
  return undefined;
}

/** The challenge this Key Vault request belongs to: it is the 401 itself, or the replay after the latest 401. */
function challengePairOf(log: RequestLog, entry: RequestLogEntry): Record<string, unknown> | undefined {
  if (entry.service !== "keyvault") return undefined;
  if (entry.details?.challenge)
    return { challenge: { seq: entry.seq, wwwAuthenticate: entry.details.challenge }, replay: null };
  if (!entry.details?.token) return undefined;
  for (let seq = entry.seq - 1; seq > entry.seq - CHALLENGE_LOOKBACK && seq > 0; seq--) {
    const earlier = log.get(seq);
    if (!earlier) break;
    if (earlier.host === entry.host && earlier.details?.challenge && earlier.client === entry.client)
      return {
        challenge: { seq: earlier.seq, wwwAuthenticate: earlier.details.challenge },
        replay: { seq: entry.seq, audience: entry.details.token.claims.aud ?? null, status: entry.status },
      };
  }
  return undefined;
}

export function explainRequest(
  log: RequestLog,
  world: WorldState,
  seq: number,
): Record<string, unknown> | undefined {
  const entry = log.get(seq);
  if (!entry) return undefined;
  const { details, ...summary } = entry;
  const identity = entry.principal ? world.identityByPrincipalId(entry.principal.objectId) : undefined;
  return {
    ...summary,
    apiVersion: apiVersionOf(entry.path) ?? null,
    userAgent: details?.userAgent ?? null,
    identity: identity
      ? {
          kind: identity.kind,
          name: identity.name,
          clientId: identity.clientId,
          objectId: identity.principalId,
        }
      : (entry.principal ?? null),
    decisions: (details?.rbacChecks ?? []).map(explainDecision),
    token: details?.token ?? null,
    issuedClaims: details?.issuedClaims ?? null,
    challengePair: challengePairOf(log, entry) ?? null,
  };
}
