// The dashboard page: loads the world's panels, follows the request log over server-sent events, and shows the
// selected request in detail. Plain ES modules served by the emulator: no build step, nothing fetched from elsewhere.
import { adminApi } from "./admin-api.js";
import { h, reportError } from "./dom.js";
import { detailView } from "./request-detail.js";
import { RequestTable } from "./request-table.js";
import { rolesPanel, switchesPanel, vmPanel, worldPanel } from "./world-panels.js";

const connection = document.getElementById("connection");
let overviewLoading;
let overviewAgain = false;

/** Redraws the panels from GET /overview; changes arriving meanwhile cause one more load, not one each. */
async function refreshOverview() {
  if (overviewLoading) {
    overviewAgain = true;
    return;
  }
  overviewLoading = adminApi.overview();
  try {
    const overview = await overviewLoading;
    document.getElementById("scenario-name").textContent =
      `scenario '${overview.scenario.name ?? "unnamed"}'`;
    document.getElementById("vm").replaceChildren(vmPanel(overview));
    document.getElementById("roles").replaceChildren(rolesPanel(overview));
    document.getElementById("switches").replaceChildren(switchesPanel(overview));
    keepOpenState(document.getElementById("world"), () => worldPanel(overview));
    // A deployment in progress changes while the SDK only polls (GETs): look again until it is done.
    const deploying = overview.subscriptions.some((s) =>
      s.resourceGroups.some((g) =>
        g.deployments.some((d) => ["Accepted", "Running"].includes(d.provisioningState)),
      ),
    );
    if (deploying) setTimeout(refreshOverview, 1000);
  } catch (error) {
    reportError(error);
  } finally {
    overviewLoading = undefined;
    if (overviewAgain) {
      overviewAgain = false;
      refreshOverview();
    }
  }
}

/** Redraws a panel of <details> without closing what the user opened, or revealing again what they hid. */
function keepOpenState(container, draw) {
  const key = (node) => node.querySelector(":scope > summary")?.textContent ?? "";
  const before = new Map([...container.querySelectorAll("details")].map((d) => [key(d), d.open]));
  const next = draw();
  for (const d of next.querySelectorAll("details")) if (before.has(key(d))) d.open = before.get(key(d));
  container.replaceChildren(next);
}

let detailRequest = 0;
async function showDetail(entry) {
  const ticket = ++detailRequest;
  try {
    const request = await adminApi.request(entry.seq);
    if (ticket !== detailRequest) return;
    document.getElementById("detail").replaceChildren(detailView(request, table.runAround(entry.seq)));
  } catch (error) {
    document.getElementById("detail").replaceChildren(h("p", { className: "muted" }, error.message));
  }
}

const table = new RequestTable(document.getElementById("requests"), showDetail);

function markReady() {
  if (document.body.dataset.ready === "true") return;
  document.body.dataset.ready = "true";
  // After the first frame that shows the table: what "interactive" means in the dashboard benchmark.
  requestAnimationFrame(() => performance.mark("dashboard-ready"));
}

/** Reads the log: the newest requests first (the first screen), then new ones live, then the older ones. */
async function follow() {
  try {
    table.add((await adminApi.requests("?tail=200")).requests);
  } catch (error) {
    reportError(error);
  }
  markReady();
  followLive();
  const oldest = table.entries[0]?.seq;
  if (oldest !== undefined && oldest > 1)
    table.addOlder((await adminApi.requests(`?before=${oldest}`)).requests);
  requestAnimationFrame(() => performance.mark("dashboard-history"));
}

function followLive() {
  const events = new EventSource(`/events?since=${table.entries.at(-1)?.seq ?? 0}`);
  events.addEventListener("requests", (event) => table.add(JSON.parse(event.data)));
  events.addEventListener("world", () => refreshOverview());
  events.addEventListener("open", () => {
    connection.textContent = "live";
    connection.className = "badge good";
  });
  events.addEventListener("error", () => {
    connection.textContent = "reconnecting…";
    connection.className = "badge warn";
  });
}

refreshOverview();
follow();
