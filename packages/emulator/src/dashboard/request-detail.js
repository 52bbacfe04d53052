// The detail of one request: who called, the authorization decision(s) with their reasons, the decoded token (header
// and claims, never the token or its signature: the server does not send them), the Key Vault challenge pair, and
// the run it belongs to as a sequence diagram (client -> IMDS -> ARM -> Key Vault).
import { facts, h } from "./dom.js";

const TIME_CLAIMS = new Set(["exp", "nbf", "iat"]);
const LANES = [
  { key: "client", label: "client" },
  { key: "imds", label: "IMDS" },
  { key: "arm", label: "ARM" },
  { key: "keyvault", label: "Key Vault" },
];

function claimValue(name, value) {
  if (TIME_CLAIMS.has(name) && typeof value === "number")
    return `${value} (${new Date(value * 1000).toISOString().replace(".000", "")})`;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function claimsTable(title, values) {
  return h(
    "table",
    { className: "claims" },
    h("caption", {}, title),
    h(
      "tbody",
      {},
      Object.entries(values).map(([name, value]) =>
        h("tr", {}, h("th", {}, name), h("td", {}, claimValue(name, value))),
      ),
    ),
  );
}

function decisionView(decision) {
  return h(
    "div",
    { className: `decision ${decision.allowed ? "allowed" : "denied"}` },
    h(
      "p",
      { className: "decision-summary" },
      h("strong", {}, decision.allowed ? "ALLOWED " : "DENIED "),
      decision.summary,
    ),
    facts([
      ["operation", decision.operation],
      ["scope", decision.scope],
    ]),
    decision.considered.length
      ? h(
          "ul",
          { className: "considered" },
          decision.considered.map((a) =>
            h(
              "li",
              {},
              h("strong", {}, a.roleName),
              ` at ${a.scope}`,
              a.notApplicable
                ? h("span", { className: "muted" }, ` — ${a.notApplicable}`)
                : h("span", { className: "good-text" }, " — grants it"),
            ),
          ),
        )
      : h("p", { className: "muted" }, "This principal has no role assignments."),
  );
}

function identityView(identity) {
  if (!identity)
    return h(
      "p",
      { className: "muted" },
      "No caller identified (no valid token, or a request before authentication).",
    );
  const name =
    identity.kind === "system"
      ? "system-assigned identity"
      : identity.kind === "user"
        ? `user-assigned '${identity.name}'`
        : "not one of the VM's identities";
  return facts([
    ["identity", name],
    ["client ID (appid)", identity.clientId],
    ["object ID (oid)", identity.objectId],
  ]);
}

function challengeView(pair) {
  const steps = [
    h(
      "li",
      {},
      `#${pair.challenge.seq} 401 with WWW-Authenticate: `,
      h("code", {}, pair.challenge.wwwAuthenticate),
    ),
  ];
  if (pair.replay)
    steps.push(
      h(
        "li",
        {},
        `#${pair.replay.seq} replayed with a token for ${pair.replay.audience} → ${pair.replay.status}`,
      ),
    );
  else
    steps.push(
      h(
        "li",
        { className: "muted" },
        "The client then asks IMDS for a token for that resource and sends the request again.",
      ),
    );
  return h("ol", { className: "challenge" }, steps);
}

/** One arrow per request of the run, from the client's lifeline to the service's. */
export function sequenceView(run, selectedSeq) {
  const laneX = (key) => 70 + LANES.findIndex((l) => l.key === key) * 150;
  const rowHeight = 26;
  const height = 40 + run.length * rowHeight;
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 560 ${height}`);
  svg.setAttribute("class", "sequence");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `Sequence of ${run.length} requests`);
  const add = (tag, attributes, text) => {
    const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
    for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, String(v));
    if (text !== undefined) node.textContent = text;
    svg.append(node);
    return node;
  };
  const marker = add("defs", {});
  marker.innerHTML =
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="currentColor"/></marker>';
  for (const lane of LANES) {
    add("text", { x: laneX(lane.key), y: 16, "text-anchor": "middle", class: "lane-label" }, lane.label);
    add("line", { x1: laneX(lane.key), y1: 24, x2: laneX(lane.key), y2: height, class: "lifeline" });
  }
  run.forEach((entry, i) => {
    const y = 44 + i * rowHeight;
    const target = LANES.some((l) => l.key === entry.service) ? entry.service : "client";
    const status = entry.status >= 400 ? (entry.status === 401 ? "challenge" : "bad") : "good";
    const group = add("g", {
      class: `arrow ${status}${entry.seq === selectedSeq ? " selected" : ""}`,
      "data-seq": entry.seq,
    });
    const line = document.createElementNS("http://www.w3.org/2000/svg", "line");
    for (const [k, v] of Object.entries({
      x1: laneX("client"),
      y1: y,
      x2: laneX(target),
      y2: y,
      "marker-end": "url(#arrow)",
    }))
      line.setAttribute(k, String(v));
    const label = document.createElementNS("http://www.w3.org/2000/svg", "text");
    label.setAttribute("x", String(laneX("client") + 6));
    label.setAttribute("y", String(y - 5));
    label.textContent = `${entry.method} ${entry.path.split("?")[0].slice(0, 58)} → ${entry.status}`;
    group.append(line, label);
  });
  return svg;
}

export function detailView(request, run) {
  const section = (title, ...content) =>
    h("section", { className: "detail-section" }, h("h3", {}, title), ...content);
  return h(
    "div",
    { className: "request-detail", "data-seq": request.seq },
    h(
      "p",
      { className: "request-line" },
      h("strong", {}, `${request.method} https://${request.host}${request.path}`),
      ` → ${request.status} in ${request.durationMs} ms`,
    ),
    facts([
      ["time", request.time],
      ["service", request.service],
      ["client", request.userAgent ?? request.client ?? "unknown"],
      ["api-version", request.apiVersion ?? "none"],
      ["error", request.error],
      ["request ID", request.requestId],
    ]),
    section("Calling identity", identityView(request.identity)),
    section(
      "Decision",
      ...(request.decisions.length
        ? request.decisions.map(decisionView)
        : [
            h(
              "p",
              { className: "muted" },
              request.service === "imds"
                ? "IMDS answers the VM itself: no role is checked, it issues a token for the identity asked for."
                : "No role assignment was checked for this request.",
            ),
          ]),
    ),
    section(
      "Token (decoded; the token itself and its signature are never shown)",
      request.token
        ? [claimsTable("header", request.token.header), claimsTable("claims", request.token.claims)]
        : h("p", { className: "muted" }, "This request carried no bearer token."),
    ),
    request.issuedClaims
      ? section(
          "Token issued (claims; the token itself is never shown)",
          claimsTable("claims", request.issuedClaims),
        )
      : null,
    request.challengePair ? section("Key Vault challenge", challengeView(request.challengePair)) : null,
    section("This run", sequenceView(run, request.seq)),
  );
}
