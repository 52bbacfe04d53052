// The live request table: newest first, and only the rows in view exist in the DOM (a virtual list), so ten thousand
// logged requests load at once and hundreds per second arrive without the page stalling. Renders at most once a frame.
import { h } from "./dom.js";

const ROW_HEIGHT = 24;
const OVERSCAN = 8;

function apiVersionOf(path) {
  const match = /[?&]api(?:-|%2D)version=([^&]*)/i.exec(path);
  return match ? decodeURIComponent(match[1]) : "";
}

function statusClass(status) {
  return status >= 500 ? "bad" : status >= 400 ? (status === 401 ? "challenge" : "warn") : "good";
}

export class RequestTable {
  /** @param {HTMLElement} container @param {(entry: object) => void} onSelect */
  constructor(container, onSelect) {
    this.container = container;
    this.onSelect = onSelect;
    this.entries = [];
    this.bySeq = new Map();
    this.selectedSeq = undefined;
    this.spacer = h("div", { className: "spacer" });
    this.rows = h("div", { className: "rows" });
    container.append(this.spacer, this.rows);
    this.frame = 0;
    container.addEventListener("scroll", () => this.schedule());
    container.addEventListener("click", (event) => {
      const row = event.target.closest("[data-seq]");
      if (row) this.select(Number(row.dataset.seq));
    });
    container.addEventListener("keydown", (event) => this.#onKey(event));
  }

  /** Adds entries (oldest first); ones already shown (a reconnect replays the log) are skipped. */
  add(entries) {
    const last = this.entries.at(-1)?.seq ?? 0;
    for (const entry of entries) {
      if (entry.seq <= last || this.bySeq.has(entry.seq)) continue;
      this.entries.push(entry);
      this.bySeq.set(entry.seq, entry);
    }
    this.schedule();
  }

  schedule() {
    this.frame ||= requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  select(seq) {
    if (!this.bySeq.has(seq)) return;
    this.selectedSeq = seq;
    this.render();
    this.onSelect(this.bySeq.get(seq));
  }

  /** The requests of the run `seq` belongs to: neighbours with no pause longer than `gapMs` between them. */
  runAround(seq, gapMs = 3000, limit = 60) {
    const index = this.entries.findIndex((e) => e.seq === seq);
    if (index < 0) return [];
    const time = (i) => Date.parse(this.entries[i].time);
    let start = index;
    let end = index;
    while (start > 0 && time(start) - time(start - 1) < gapMs && end - start < limit) start--;
    while (end < this.entries.length - 1 && time(end + 1) - time(end) < gapMs && end - start < limit) end++;
    return this.entries.slice(start, end + 1);
  }

  render() {
    const total = this.entries.length;
    this.spacer.style.height = `${total * ROW_HEIGHT}px`;
    const first = Math.max(0, Math.floor(this.container.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const visible = Math.ceil(this.container.clientHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = Math.min(total, first + visible);
    const rows = [];
    for (let position = first; position < last; position++) {
      const entry = this.entries[total - 1 - position];
      rows.push(this.#row(entry, position));
    }
    this.rows.replaceChildren(...rows);
    document.getElementById("request-count").textContent = `(${total})`;
  }

  #row(entry, position) {
    const [pathOnly] = entry.path.split("?");
    const row = h(
      "div",
      {
        className: `request-row${entry.seq === this.selectedSeq ? " selected" : ""}`,
        role: "option",
        "aria-selected": entry.seq === this.selectedSeq ? "true" : "false",
        "data-seq": entry.seq,
        "data-service": entry.service,
        "data-status": entry.status,
      },
      h("span", {}, entry.time.slice(11, 23)),
      h("span", { title: entry.client ?? "" }, entry.client ?? ""),
      h("span", {}, entry.method),
      h("span", { title: entry.host }, entry.host),
      h("span", { title: pathOnly }, pathOnly),
      h("span", {}, apiVersionOf(entry.path)),
      h("span", { className: `status ${statusClass(entry.status)}` }, entry.status),
      h("span", {}, entry.durationMs),
    );
    // Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
    row.style.top = `${position * ROW_HEIGHT}px`;
    return row;
  }

  #onKey(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const index = this.entries.findIndex((e) => e.seq === this.selectedSeq);
    const next = this.entries[index + (event.key === "ArrowUp" ? 1 : -1)];
    if (next) this.select(next.seq);
  }
}
