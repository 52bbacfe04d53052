// GET /events: the request log as server-sent events, for the dashboard's live table. Entries after `?since=` first,
// then new ones in batches (one event per 50 ms at most, however many requests arrive), and a "world" event whenever
// something may have changed the world, so the page reloads its panels.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { RequestLog, RequestLogEntry } from "../log/request-log.ts";

const BATCH_MS = 50;
const HEARTBEAT_MS = 15_000;

export interface WorldChanges {
  onChange(listener: () => void): () => void;
}

function summaryOf({ details: _details, ...summary }: RequestLogEntry): RequestLogEntry {
  return summary;
}

export function streamRequestEvents(
  request: IncomingMessage,
  response: ServerResponse,
  options: { log: RequestLog; since: number; world: WorldChanges },
): void {
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  const send = (event: string, data: unknown) =>
    response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  send("requests", options.log.list(options.since));

  let pending: RequestLogEntry[] = [];
  let worldChanged = false;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    timer = undefined;
    if (pending.length) send("requests", pending);
    if (worldChanged) send("world", {});
    pending = [];
    worldChanged = false;
  };
  const schedule = () => {
    timer ??= setTimeout(flush, BATCH_MS);
  };
  const stopEntries = options.log.onEntry((entry) => {
    pending.push(summaryOf(entry));
    // A change answered without error may have changed what the panels show (a group, a role, a secret).
    if (entry.method !== "GET" && entry.method !== "HEAD" && entry.status < 400) worldChanged = true;
    schedule();
  });
  const stopWorld = options.world.onChange(() => {
    worldChanged = true;
    schedule();
  });
  const heartbeat = setInterval(() => response.write(": keep-alive\n\n"), HEARTBEAT_MS);
  request.socket.once("close", () => {
    stopEntries();
    stopWorld();
    clearInterval(heartbeat);
    if (timer) clearTimeout(timer);
  });
}
