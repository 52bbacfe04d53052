// The live request table: newest first, and only the rows in view exist in the DOM (a virtual list), so ten thousand
// logged requests load at once and hundreds per second arrive without the page stalling. Renders at most once a frame.
import { h } from "./dom.js";

const ROW_HEIGHT = 24;
const OVERSCAN = 8;
/** As many as the emulator's log keeps: a day of workshop runs does not grow the page without bound. */
const MAX_ENTRIES = 10_000;

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
    this.count = document.getElementById("request-count");
    this.spacer = h("div", { className: "spacer" });
    this.rows = h("div", { className: "rows" });
    /** The row element showing each request in view, by seq. */
    this.rowBySeq = new Map();
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
    if (this.entries.length > MAX_ENTRIES)
      for (const dropped of this.entries.splice(0, this.entries.length - MAX_ENTRIES))
        this.bySeq.delete(dropped.seq);
    this.schedule();
  }

  /** Adds entries older than every one shown (the history, loaded after the first screen). */
  addOlder(entries) {
    const first = this.entries[0]?.seq ?? Number.POSITIVE_INFINITY;
    const older = entries.filter((entry) => entry.seq < first && !this.bySeq.has(entry.seq));
    for (const entry of older) this.bySeq.set(entry.seq, entry);
    this.entries = [...older, ...this.entries];
    this.add([]);
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
    // Rows are keyed by request: when new requests push the others down, a row only moves (its `top` changes);
    // only rows that come into view are refilled. Hundreds of requests a second then cost a few text updates.
    const wanted = new Map();
    for (let position = first; position < last; position++) {
      const entry = this.entries[total - 1 - position];
      wanted.set(entry.seq, { entry, position });
    }
    const free = [];
    for (const [seq, row] of this.rowBySeq) {
      if (wanted.has(seq)) continue;
      this.rowBySeq.delete(seq);
      free.push(row);
    }
    for (const [seq, { entry, position }] of wanted) {
      let row = this.rowBySeq.get(seq);
      if (!row) {
        row = free.pop() ?? this.rows.appendChild(this.#emptyRow());
        this.#fill(row, entry);
        this.rowBySeq.set(seq, row);
      }
      const top = `${position * ROW_HEIGHT}px`;
      // Through the CSSOM: the page's Content-Security-Policy allows no inline style attributes.
      if (row.style.top !== top) row.style.top = top;
      const selected = seq === this.selectedSeq;
      if (row.classList.contains("selected") !== selected) {
        row.classList.toggle("selected", selected);
        row.setAttribute("aria-selected", String(selected));
      }
    }
    for (const row of free) row.remove();
    this.count.textContent = `(${total})`;
  }

  #emptyRow() {
    return h(
      "div",
      { className: "request-row", role: "option", "aria-selected": "false" },
      ...Array.from({ length: 8 }, () => h("span")),
    );
  }

  #fill(row, entry) {
    const [pathOnly] = entry.path.split("?");
    const cells = row.children;
    const texts = [
      entry.time.slice(11, 23),
      entry.client ?? "",
      entry.method,
      entry.host,
      pathOnly,
      apiVersionOf(entry.path),
      entry.status,
      entry.durationMs,
    ];
    for (let i = 0; i < texts.length; i++) cells[i].textContent = texts[i];
    cells[1].title = entry.client ?? "";
    cells[3].title = entry.host;
    cells[4].title = pathOnly;
    cells[6].className = `status ${statusClass(entry.status)}`;
    row.dataset.seq = entry.seq;
    row.dataset.service = entry.service;
    row.dataset.status = entry.status;
  }

  #onKey(event) {
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const index = this.entries.findIndex((e) => e.seq === this.selectedSeq);
    const next = this.entries[index + (event.key === "ArrowUp" ? 1 : -1)];
    if (next) this.select(next.seq);
  }
}
