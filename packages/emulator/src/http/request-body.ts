// Reads a request body with a size limit, so an oversized upload is refused instead of buffered.
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  readonly limitBytes: number;
  constructor(limitBytes: number) {
    super(`request body exceeds ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
    this.limitBytes = limitBytes;
  }
}

/** ARM refuses request bodies over 4 MB; Key Vault's limit is lower but 4 MB covers every emulated service. */
const DEFAULT_BODY_LIMIT_BYTES = 4 * 1024 * 1024;

export async function readRequestBody(
  request: IncomingMessage,
  limitBytes = DEFAULT_BODY_LIMIT_BYTES,
): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limitBytes) {
    request.resume(); // drain without keeping it
    throw new BodyTooLargeError(limitBytes);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limitBytes) {
      request.resume();
      throw new BodyTooLargeError(limitBytes);
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
