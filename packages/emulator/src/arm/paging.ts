// ARM list paging: `{ value, nextLink }`, where nextLink repeats the request with a `$skiptoken` and is built from the
// request's Host (the SDK follows it exactly as given). `$top` sets the page size, as ARM's list operations do.
import { armErrors } from "./arm-errors.ts";
import type { ArmRequest } from "./arm-request.ts";

export const DEFAULT_PAGE_SIZE = 100;

export function pageOf<T>(
  items: readonly T[],
  request: ArmRequest,
  pageSize = request.pageSize,
): { value: T[]; nextLink?: string } {
  const top = request.query.get("$top");
  let size = pageSize;
  if (top !== null) {
    const parsed = Number(top);
    if (!Number.isInteger(parsed) || parsed < 1)
      throw armErrors.invalidRequestContent(`$top must be a positive integer, got '${top}'`);
    size = Math.min(parsed, 1000);
  }
  const offset = decodeSkipToken(request.query.get("$skiptoken"));
  const value = items.slice(offset, offset + size);
  if (offset + size >= items.length) return { value };
  const next = new URLSearchParams(request.query);
  next.set("$skiptoken", Buffer.from(JSON.stringify({ offset: offset + size })).toString("base64url"));
  return { value, nextLink: `${request.baseUrl}${request.path}?${next.toString()}` };
}

function decodeSkipToken(token: string | null): number {
  if (!token) return 0;
  try {
    const offset = (JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { offset?: unknown })
      .offset;
    if (typeof offset === "number" && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through
  }
  throw armErrors.invalidSkipToken();
}
