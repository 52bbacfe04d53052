// Bytes straight onto a TCP socket (or into a TLS tunnel) and whatever comes back: for requests no HTTP client would
// send, clients that stall or vanish, and answers Node writes itself.
import net from "node:net";
import tls from "node:tls";

export interface RawExchange {
  /** 0 when nothing that looks like an HTTP answer came back. */
  status: number;
  headers: string;
  body: string;
  /** Whether the server closed the connection. */
  closed: boolean;
}

/** Reads one HTTP answer from `socket` (headers, then content-length bytes), or what arrived before close/timeout. */
export function readAnswer(
  socket: net.Socket | tls.TLSSocket,
  timeoutMs = 3_000,
  /** An answer to HEAD has a content-length but no body. */
  toHead = false,
): Promise<RawExchange> {
  return new Promise((resolve) => {
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (closed: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      const text = data.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      const head = split >= 0 ? text.slice(0, split) : text;
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
      const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? Number.NaN);
      const rest = split >= 0 ? data.subarray(Buffer.byteLength(text.slice(0, split + 4))) : Buffer.alloc(0);
      // Only this answer's body: a pipelined second answer may follow it.
      const body = (Number.isNaN(length) ? rest : rest.subarray(0, length)).toString("utf8");
      resolve({ status, headers: head, body, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      const text = data.toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(text.slice(0, split))?.[1];
      if (length !== undefined && (toHead || data.length >= split + 4 + Number(length))) finish(false);
    });
    socket.on("close", () => finish(true));
    socket.on("end", () => finish(true));
    socket.on("error", () => finish(true));
  });
}

/**
 * Sends `bytes` to the proxy port and reads the answer. A request still incomplete after `waitMs` is then ended by a
 * half-close, which the server must answer too (a client that half-closes early aborts a request in Node, so only then).
 */
export async function sendRaw(port: number, bytes: string | Buffer, waitMs = 3_000): Promise<RawExchange> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {});
  const answer = readAnswer(socket, waitMs, isHead(bytes));
  socket.write(bytes);
  let result = await answer;
  if (result.status === 0 && !result.closed) {
    const after = readAnswer(socket, 2_000);
    socket.end();
    result = await after;
  }
  socket.destroy();
  return result;
}

/** Opens CONNECT host:port through the proxy; for port 443 also the TLS session (trusting NODE_EXTRA_CA_CERTS). */
export async function openTunnel(port: number, target: string): Promise<net.Socket | tls.TLSSocket> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`);
  await new Promise<void>((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (!seen.includes("\r\n\r\n")) return;
      socket.off("data", onData);
      if (/^HTTP\/1\.1 200/.test(seen)) resolve();
      else reject(new Error(`CONNECT ${target} refused: ${seen}`));
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
  if (!target.endsWith(":443")) return socket;
  const secure = tls.connect({ socket, servername: target.replace(/:443$/, "") });
  await new Promise<void>((resolve, reject) => {
    secure.once("secureConnect", resolve);
    secure.once("error", reject);
  });
  return secure;
}

/** Sends `bytes` inside a tunnel (without closing it: a TLS tunnel stays open) and reads the answer. */
export async function sendInTunnel(
  port: number,
  target: string,
  bytes: string | Buffer,
  timeoutMs?: number,
): Promise<RawExchange> {
  const socket = await openTunnel(port, target);
  const answer = readAnswer(socket, timeoutMs, isHead(bytes));
  socket.write(bytes);
  const result = await answer;
  socket.destroy();
  return result;
}

const isHead = (bytes: string | Buffer) =>
  (typeof bytes === "string" ? bytes : bytes.toString("latin1", 0, 5)).startsWith("HEAD ");
