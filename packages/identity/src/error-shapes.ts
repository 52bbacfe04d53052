// Reading the errors the Azure SDK and Node.js throw without depending on their classes: duck-typed accessors for
// name, code, HTTP status, headers and request URL, which survive duplicate package copies and wrapping.

export interface ErrorFields {
  name?: string;
  message: string;
  code?: string;
  statusCode?: number;
  requestUrl?: string;
  requestMethod?: string;
  /** A header of the request that failed, e.g. its `authorization`. */
  requestHeader: (name: string) => string | undefined;
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
    request?: { url?: unknown; method?: unknown; headers?: { get?: (name: string) => string | undefined } };
    response?: { headers?: { get?: (name: string) => string | undefined }; parsedBody?: unknown };
  };
  const headers = candidate.response?.headers;
  const requestHeaders = candidate.request?.headers;
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const fields: ErrorFields = {
    message: text(candidate.message) ?? String(error),
    header: (name) => (typeof headers?.get === "function" ? headers.get(name) : undefined),
    requestHeader: (name) =>
      typeof requestHeaders?.get === "function" ? requestHeaders.get(name) : undefined,
  };
  const name = text(candidate.name);
  if (name) fields.name = name;
  const code = text(candidate.code);
  if (code) fields.code = code;
  if (typeof candidate.statusCode === "number") fields.statusCode = candidate.statusCode;
  const requestUrl = text(candidate.request?.url);
  if (requestUrl) fields.requestUrl = requestUrl;
  const requestMethod = text(candidate.request?.method);
  if (requestMethod) fields.requestMethod = requestMethod;
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

/**
 * An Azure error (ARM's `{ error: { code, message, target, details } }`, or one entry of it) wherever it is kept: a
 * RestError's `details` (modular clients and Key Vault), `response.parsedBody` (older clients), or the value itself when
 * a caller gives Azure's error object as a cause. Undefined when there is none.
 */
export function azureErrorOf(error: unknown): AzureError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  if (!(error instanceof Error)) return readAzureError(error, 0);
  const candidate = error as { details?: unknown; response?: { parsedBody?: unknown } };
  return readAzureError(candidate.details, 0) ?? readAzureError(candidate.response?.parsedBody, 0);
}

export interface AzureError {
  code?: string;
  message?: string;
  target?: string;
  /** The inner errors, which often say what is really wrong (InvalidTemplateDeployment, DeploymentFailed). */
  details: AzureError[];
}

function readAzureError(value: unknown, depth: number): AzureError | undefined {
  if (typeof value !== "object" || value === null || depth > 6) return undefined;
  const body = value as {
    error?: unknown;
    code?: unknown;
    message?: unknown;
    target?: unknown;
    details?: unknown;
  };
  if (typeof body.error === "object" && body.error !== null) return readAzureError(body.error, depth + 1);
  if (typeof body.code !== "string" && typeof body.message !== "string") return undefined;
  const read: AzureError = { details: [] };
  if (typeof body.code === "string") read.code = body.code;
  // A resource provider's error that ARM passes on inside a deployment's details comes as JSON text.
  const embedded = typeof body.message === "string" ? embeddedAzureError(body.message, depth) : undefined;
  if (embedded) read.details.push(embedded);
  else if (typeof body.message === "string") read.message = body.message;
  if (typeof body.target === "string") read.target = body.target;
  if (Array.isArray(body.details)) {
    for (const detail of body.details) {
      const inner = readAzureError(detail, depth + 1);
      if (inner) read.details.push(inner);
    }
  }
  return read;
}

function embeddedAzureError(message: string, depth: number): AzureError | undefined {
  if (!message.trimStart().startsWith("{")) return undefined;
  try {
    return readAzureError(JSON.parse(message), depth + 1);
  } catch {
    return undefined;
  }
}

/** All of a message on one line; when longer than `maxLength`, cut at a word boundary and marked with "…". */
export function oneLine(text: string, maxLength = 400): string {
  const line = text.replace(/\s*[\r\n]+\s*/g, " ").trim();
  return line.length > maxLength ? `${cutAtWord(line, maxLength)}…` : line;
}

/** The longest start of `line` of at most `maxLength` characters that does not end inside a word. */
export function cutAtWord(line: string, maxLength: number): string {
  const start = line.slice(0, maxLength + 1);
  const lastSpace = start.lastIndexOf(" ");
  // One very long word (a URL, a token-like string): cut it rather than print nothing.
  return (lastSpace > maxLength / 2 ? start.slice(0, lastSpace) : start.slice(0, maxLength)).trimEnd();
}
