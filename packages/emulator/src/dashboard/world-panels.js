// The left-hand panels, drawn from GET /overview: the VM and its identities, who may do what (grant and revoke),
// the world (subscriptions -> groups -> resources, deployments, vaults -> secrets), and the switches.
import { adminApi } from "./admin-api.js";
import { facts, h, reportError } from "./dom.js";

/** Runs a button's action; errors show in the header; the SSE "world" event then redraws the panels. */
function action(run) {
  return async (event) => {
    const button = event.currentTarget;
    button.disabled = true;
    try {
      await run();
    } catch (error) {
      reportError(error);
    } finally {
      button.disabled = false;
    }
  };
}

function shortId(id) {
  return id.length > 13 ? `${id.slice(0, 8)}…` : id;
}

export function vmPanel(overview) {
  const { vm, tenant } = overview;
  const subscription = overview.subscriptions.find(
    (s) => s.id.toLowerCase() === vm.subscriptionId.toLowerCase(),
  );
  return h(
    "div",
    {},
    facts([
      ["name", vm.name],
      ["region", vm.location],
      ["subscription", `${subscription?.displayName ?? ""} (${vm.subscriptionId})`],
      ["resource group", vm.resourceGroup],
      ["tenant", `${tenant.displayName ?? ""} (${tenant.id})`],
      ["IMDS answers as", vm.source === "scenario" ? "the scenario's VM" : vm.resourceId],
    ]),
    h(
      "table",
      { className: "identities" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          ["identity", "client ID", "object ID", "resource ID"].map((t) => h("th", {}, t)),
        ),
      ),
      h(
        "tbody",
        {},
        vm.identities.map((i) =>
          h(
            "tr",
            { "data-identity": i.name },
            h(
              "td",
              {},
              i.kind === "system" ? "system-assigned" : `user-assigned '${i.name}'`,
              vm.defaultIdentity.name === i.name
                ? h(
                    "span",
                    {
                      className: "badge good",
                      title: "IMDS issues tokens for this identity when the request names none",
                    },
                    "default",
                  )
                : null,
            ),
            h("td", { className: "id" }, i.clientId),
            h("td", { className: "id" }, i.objectId),
            h("td", { className: "id", title: i.resourceId }, i.resourceId.split("/").slice(-1)[0]),
          ),
        ),
      ),
    ),
    vm.defaultIdentity.error
      ? h("p", { className: "muted" }, `Without a selector IMDS answers: ${vm.defaultIdentity.error}`)
      : null,
  );
}

function scopeLabel(scope, subscriptions = []) {
  const parts = scope.split("/");
  const subscription = subscriptions.find((s) => s.id.toLowerCase() === (parts[2] ?? "").toLowerCase());
  if (parts.length <= 3) return `subscription ${subscription?.displayName ?? shortId(parts[2] ?? "")}`;
  if (parts.length <= 5) return `group ${parts[4]}`;
  return `${parts.slice(6, -1).join("/")} ${parts.at(-1)}`;
}

function scopesOf(overview) {
  const scopes = [];
  for (const s of overview.subscriptions) {
    scopes.push({ id: `/subscriptions/${s.id}`, label: `subscription ${s.displayName}` });
    for (const g of s.resourceGroups) {
      scopes.push({ id: g.id, label: `  group ${g.name}` });
      for (const r of g.resources)
        scopes.push({ id: r.id, label: `    ${r.type.split("/").pop()} ${r.name}` });
    }
  }
  return scopes;
}

export function rolesPanel(overview) {
  const byScope = [...Map.groupBy(overview.roleAssignments, (a) => a.scope)].sort(
    ([a], [b]) => a.length - b.length || a.localeCompare(b),
  );
  const principal = h(
    "select",
    { id: "grant-principal", "aria-label": "principal" },
    overview.vm.identities.map((i) =>
      h(
        "option",
        { value: i.objectId },
        i.kind === "system" ? "system-assigned identity" : `user-assigned '${i.name}'`,
      ),
    ),
  );
  const role = h(
    "select",
    { id: "grant-role", "aria-label": "role" },
    overview.roles.map((r) => h("option", { value: r, selected: r === "Reader" }, r)),
  );
  const scope = h(
    "select",
    { id: "grant-scope", "aria-label": "scope" },
    scopesOf(overview).map((s) => h("option", { value: s.id }, s.label)),
  );
  return h(
    "div",
    {},
    byScope.length === 0
      ? h("p", { className: "muted" }, "No role assignments: every ARM and Key Vault call is denied.")
      : null,
    byScope.map(([scopeId, assignments]) =>
      h(
        "div",
        { className: "scope" },
        h("h4", { title: scopeId }, scopeLabel(scopeId, overview.subscriptions)),
        h(
          "ul",
          {},
          assignments.map((a) =>
            h(
              "li",
              { "data-assignment": a.name },
              h("strong", {}, a.roleName),
              ` → ${a.principalName} `,
              h(
                "button",
                {
                  type: "button",
                  className: "small",
                  "aria-label": `Revoke ${a.roleName} from ${a.principalName} at ${scopeLabel(scopeId)}`,
                  onclick: action(() => adminApi.revoke(a.name)),
                },
                "Revoke",
              ),
            ),
          ),
        ),
      ),
    ),
    h(
      "form",
      { className: "grant", onsubmit: (event) => event.preventDefault() },
      h("label", {}, "Grant ", role),
      h("label", {}, " to ", principal),
      h("label", {}, " at ", scope),
      h(
        "button",
        {
          type: "button",
          id: "grant-button",
          onclick: action(() => adminApi.grant(principal.value, role.value, scope.value)),
        },
        "Grant",
      ),
      h(
        "p",
        { className: "muted" },
        "Same as az role assignment create --assignee-object-id … --assignee-principal-type ServicePrincipal --role … --scope …",
      ),
    ),
  );
}

function secretRow(vault, secret) {
  const value = h("span", { className: "secret-value muted" }, "hidden");
  const reveal = h(
    "button",
    { type: "button", className: "small", "aria-label": `Show the value of ${secret.name}` },
    "Show value",
  );
  reveal.addEventListener(
    "click",
    action(async () => {
      if (reveal.textContent === "Hide") {
        value.textContent = "hidden";
        value.className = "secret-value muted";
        reveal.textContent = "Show value";
        return;
      }
      value.textContent = (await adminApi.secretValue(vault.name, secret.name)).value;
      value.className = "secret-value revealed";
      reveal.textContent = "Hide";
    }),
  );
  const updated = secret.updated ? new Date(secret.updated * 1000).toISOString().slice(0, 19) : "";
  return h(
    "li",
    { "data-secret": secret.name },
    h("strong", {}, secret.name),
    ` ${secret.enabled ? "enabled" : "disabled"}, ${secret.versions} version(s), updated ${updated} `,
    value,
    " ",
    reveal,
  );
}

export function worldPanel(overview) {
  return h(
    "div",
    {},
    overview.subscriptions.map((s) =>
      h(
        "details",
        { open: s.resourceGroups.length > 0 },
        h("summary", {}, `${s.displayName} `, h("span", { className: "muted id" }, s.id)),
        s.resourceGroups.length === 0 ? h("p", { className: "muted" }, "No resource groups.") : null,
        s.resourceGroups.map((g) =>
          h(
            "details",
            { className: "group", open: true },
            h(
              "summary",
              {},
              `${g.name} `,
              h("span", { className: "muted" }, `${g.location}, ${g.resources.length} resource(s)`),
            ),
            h(
              "ul",
              {},
              g.resources.map((r) =>
                h("li", { title: r.id }, h("span", { className: "muted" }, r.type), ` ${r.name}`),
              ),
            ),
            g.deployments.map((d) =>
              h(
                "details",
                { className: "deployment" },
                h(
                  "summary",
                  {},
                  `deployment ${d.name}: `,
                  h(
                    "span",
                    { className: `state ${String(d.provisioningState).toLowerCase()}` },
                    d.provisioningState,
                  ),
                ),
                h(
                  "ul",
                  {},
                  d.operations.map((o) =>
                    h(
                      "li",
                      {},
                      `${o.provisioningOperation} ${o.target ?? "outputs"}: ${o.provisioningState} ${o.statusCode ?? ""} (${o.duration})${o.error ? ` — ${o.error}` : ""}`,
                    ),
                  ),
                ),
              ),
            ),
          ),
        ),
      ),
    ),
    h("h3", {}, "Key vaults"),
    overview.vaults.length === 0 ? h("p", { className: "muted" }, "No vaults.") : null,
    overview.vaults.map((v) =>
      h(
        "div",
        { className: "vault", "data-vault": v.name },
        h("h4", { title: v.resourceId }, `${v.name} `, h("span", { className: "muted" }, v.authorization)),
        h(
          "ul",
          {},
          v.secrets.map((secret) => secretRow(v, secret)),
        ),
        v.deletedSecrets.length
          ? h("p", { className: "muted" }, `deleted: ${v.deletedSecrets.join(", ")}`)
          : null,
      ),
    ),
  );
}

const FAULTS = [
  { label: "IMDS 410 for 20 s", faults: { imdsGoneForSeconds: 20 } },
  { label: "IMDS 429 ×2", faults: { imdsTooManyRequests: { count: 2, retryAfterSeconds: 1 } } },
  { label: "IMDS 500 ×2", faults: { imdsServerErrors: { count: 2 } } },
  { label: "ARM 429 ×2", faults: { armTooManyRequests: { count: 2, retryAfterSeconds: 1 } } },
  { label: "+300 ms on every call", faults: { latencyMs: 300 } },
];

function activeFaults(faults) {
  const { remaining, ...set } = faults;
  const parts = [];
  if (remaining.imdsGoneMs > 0) parts.push(`IMDS 410 for ${Math.ceil(remaining.imdsGoneMs / 1000)} s more`);
  if (remaining.imdsTooManyRequests > 0) parts.push(`IMDS 429 ×${remaining.imdsTooManyRequests}`);
  if (remaining.imdsServerErrors > 0) parts.push(`IMDS 500 ×${remaining.imdsServerErrors}`);
  if (remaining.armTooManyRequests > 0) parts.push(`ARM 429 ×${remaining.armTooManyRequests}`);
  if (set.latencyMs) parts.push(`+${set.latencyMs} ms`);
  return parts.length ? parts.join(", ") : "none";
}

export function switchesPanel(overview) {
  const { faults, latency } = overview.switches;
  const vmSelect = h(
    "select",
    { id: "vm-select", "aria-label": "VM IMDS answers as" },
    h("option", { value: "" }, "the scenario's VM"),
    overview.virtualMachines
      .filter(
        (v) =>
          v.id.toLowerCase() !== overview.vm.resourceId.toLowerCase() || overview.vm.source === "resource",
      )
      .map((v) =>
        h("option", { value: v.id, selected: overview.vm.source === "resource" && v.current }, v.name),
      ),
  );
  vmSelect.addEventListener(
    "change",
    action(() => adminApi.useVm(vmSelect.value)),
  );
  return h(
    "div",
    {},
    h("p", {}, "Faults: ", h("span", { id: "active-faults" }, activeFaults(faults))),
    h(
      "div",
      { className: "buttons" },
      FAULTS.map((f) =>
        h("button", { type: "button", onclick: action(() => adminApi.setFaults(f.faults)) }, f.label),
      ),
      h("button", { type: "button", onclick: action(() => adminApi.clearFaults()) }, "Clear faults"),
    ),
    h(
      "p",
      {},
      "Long-running operations: ",
      ["instant", "realistic"].map((mode) =>
        h(
          "label",
          { className: "radio" },
          h("input", {
            type: "radio",
            name: "latency",
            value: mode,
            checked: latency === mode,
            onchange: action(() => adminApi.setLatency(mode)),
          }),
          ` ${mode} `,
        ),
      ),
    ),
    h("p", {}, h("label", {}, "IMDS answers as ", vmSelect)),
    h(
      "button",
      {
        type: "button",
        className: "danger",
        onclick: action(async () => {
          if (
            confirm(
              "Reset the world to the scenario? Groups, resources, roles and secrets go back to how the scenario describes them.",
            )
          )
            await adminApi.reset();
        }),
      },
      "Reset to scenario",
    ),
  );
}
