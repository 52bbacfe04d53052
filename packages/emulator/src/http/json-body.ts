// Request bodies as JSON, within bounds the services share: nesting depth (deeper data would later overflow the stack
// when it is copied or saved) and the time the lenient parser may take, checked before anything is stored.

/**
 * Json.NET's default MaxDepth, which ARM and Key Vault deserialise with ("The reader's MaxDepth of 64 has been
 * exceeded", Newtonsoft.Json 13 release notes).
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The lenient reader (JSON5) is ~100x slower than JSON.parse and blocks the event loop while it runs (~0.7 s per MB of
 * pathological input), so only bodies up to this size get a second, lenient try; templates are far smaller.
 */
export const LENIENT_PARSE_LIMIT_BYTES = 256 * 1024;

export class JsonBodyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "JsonBodyError";
  }
}

/** The body as JSON (undefined when empty); throws JsonBodyError with a Json.NET-like reason. */
export function parseJsonBody(raw: Buffer, options: { lenient?: (text: string) => unknown } = {}): unknown {
  if (raw.length === 0) return undefined;
  const text = raw.toString("utf8");
  if (text.trim() === "") return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (strictError) {
    if (!options.lenient || raw.length > LENIENT_PARSE_LIMIT_BYTES)
      throw new JsonBodyError((strictError as Error).message);
    try {
      value = options.lenient(text);
    } catch {
      throw new JsonBodyError((strictError as Error).message);
    }
  }
  checkDepth(value);
  return value;
}

/** Walks the value without recursion (it may be deeper than the stack allows). */
function checkDepth(value: unknown): void {
  const pending: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (pending.length) {
    const { node, depth } = pending.pop() as { node: unknown; depth: number };
    if (node === null || typeof node !== "object") continue;
    if (depth >= MAX_JSON_DEPTH)
      throw new JsonBodyError(`The reader's MaxDepth of ${MAX_JSON_DEPTH} has been exceeded.`);
    for (const child of Object.values(node)) pending.push({ node: child, depth: depth + 1 });
  }
}
