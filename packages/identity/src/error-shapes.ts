// Reading the errors the Azure SDK and Node.js throw without depending on their classes: duck-typed accessors for
// name, code, HTTP status, headers and request URL, which survive duplicate package copies and wrapping.

export interface ErrorFields {
  name?: string;
  message: string;
  code?: string;
  statusCode?: number;
  requestUrl?: string;
  /** Node.js system errors carry the address they tried to reach. */
  address?: string;
  port?: number;
  header: (name: string) => string | undefined;
  /** The parsed error body, where the SDK keeps it (`details` for Key Vault, `response.parsedBody` for ARM). */
  body?: unknown;
}

export function errorFields(error: unknown): ErrorFields | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as {
    name?: unknown;
    message?: unknown;
    code?: unknown;
    statusCode?: unknown;
    address?: unknown;
    port?: unknown;
    details?: unknown;
    request?: { url?: unknown };
    response?: { headers?: { get?: (name: string) => string | undefined }; parsedBody?: unknown };
  };
  const headers = candidate.response?.headers;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const fields: ErrorFields = {
    message: text(candidate.message) ?? String(error),
    header: (name) => (typeof headers?.get === "function" ? headers.get(name) : undefined),
  };
  const name = text(candidate.name);
  if (name) fields.name = name;
  const code = text(candidate.code);
  if (code) fields.code = code;
  if (typeof candidate.statusCode === "number") fields.statusCode = candidate.statusCode;
  const requestUrl = text(candidate.request?.url);
  if (requestUrl) fields.requestUrl = requestUrl;
  const address = text(candidate.address);
  if (address) fields.address = address;
  if (typeof candidate.port === "number") fields.port = candidate.port;
  const body = candidate.details ?? candidate.response?.parsedBody;
  if (body !== undefined) fields.body = body;
  return fields;
}

/** The error and its `cause`s, outermost first (bounded, in case of a cycle). */
export function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && current !== null && chain.length < 8; ) {
    chain.push(current);
    current = (current as { cause?: unknown }).cause;
  }
  return chain;
}

/** All of a message on one line, cut to a readable length. */
export function oneLine(text: string, maxLength = 400): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return line.length > maxLength ? `${line.slice(0, maxLength)}…` : line;
}
