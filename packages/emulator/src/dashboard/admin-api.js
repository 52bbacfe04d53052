// The dashboard's calls to the admin endpoint (same origin). Changes carry the per-run token the page was served with.
const token = document.querySelector('meta[name="msi-emulator-token"]')?.getAttribute("content") ?? "";

async function call(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: {
      "x-msi-emulator-token": token,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!response.ok) throw new Error(json?.error?.message ?? `${method} ${path}: ${response.status}`);
  return json;
}

export const adminApi = {
  overview: () => call("GET", "/overview"),
  request: (seq) => call("GET", `/requests/${seq}`),
  requests: (query) => call("GET", `/requests${query}`),
  grant: (principalId, role, scope) => call("POST", "/role-assignments", { principalId, role, scope }),
  revoke: (name) => call("DELETE", `/role-assignments/${encodeURIComponent(name)}`),
  setFaults: (faults) => call("PUT", "/faults", faults),
  clearFaults: () => call("DELETE", "/faults"),
  setLatency: (mode) => call("PUT", "/latency", { mode }),
  useVm: (resourceId) => (resourceId ? call("PUT", "/vm", { resourceId }) : call("DELETE", "/vm")),
  reset: () => call("POST", "/reset"),
  secretValue: (vault, name) =>
    call("GET", `/secret-value?vault=${encodeURIComponent(vault)}&name=${encodeURIComponent(name)}`),
};
