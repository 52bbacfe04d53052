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

/**
 * What an oversized upload may still send after its 413 is written: the client reads the answer once it has finished
 * writing, so the rest is read and dropped (closing early would make it report EPIPE instead of the 413).
 */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

export function readRequestBody(
  request: IncomingMessage,
  limitBytes = DEFAULT_BODY_LIMIT_BYTES,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers["content-length"]);
    if (Number.isFinite(declared) && declared > limitBytes) {
      drainAndDrop(request);
      reject(new BodyTooLargeError(limitBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limitBytes) {
        chunks.push(chunk);
        return;
      }
      request.off("data", onData);
      request.off("end", onEnd);
      chunks.length = 0;
      drainAndDrop(request, size);
      reject(new BodyTooLargeError(limitBytes));
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", reject);
  });
}

function drainAndDrop(request: IncomingMessage, alreadyRead = 0): void {
  let drained = alreadyRead;
  request.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_LIMIT_BYTES) request.socket.destroy();
  });
  request.resume();
}
