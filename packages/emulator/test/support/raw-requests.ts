// Plain node:http requests through the emulator's proxy, for protocol details the SDK hides (headers, exact bodies).
import http from "node:http";
import tls from "node:tls";

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json: unknown;
}

function collect(response: http.IncomingMessage): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on("data", (c: Buffer) => chunks.push(c));
    response.on("error", reject);
    response.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
    });
  });
}

/** An absolute-form request to the proxy, as an HTTP client behind HTTP_PROXY sends it (IMDS traffic). */
export function proxiedHttp(
  port: number,
  url: string,
  headers: Record<string, string> = {},
  method = "GET",
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, method, path: url, headers: { host: target.host, ...headers } },
      (response) => collect(response).then(resolve, reject),
    );
    request.on("error", reject);
    request.end();
  });
}

/** An origin-form request straight to the proxy port (AZURE_POD_IDENTITY_AUTHORITY_HOST=http://127.0.0.1:PORT). */
export function originFormHttp(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, headers }, (response) =>
      collect(response).then(resolve, reject),
    );
    request.on("error", reject);
    request.end();
  });
}

/** Sends CONNECT host:port and returns the proxy's answer (status, and body when it refuses). */
export function connectThroughProxy(
  port: number,
  target: string,
): Promise<{ status: number; body: string; socket: import("node:net").Socket }> {
  return new Promise((resolve, reject) => {
    const request = http.request({
      host: "127.0.0.1",
      port,
      method: "CONNECT",
      path: target,
      headers: { host: target },
    });
    request.on("connect", (response, socket, head) => {
      if (response.statusCode === 200) {
        resolve({ status: 200, body: "", socket });
        return;
      }
      const chunks: Buffer[] = [head];
      socket.on("data", (c: Buffer) => chunks.push(c));
      socket.on("end", () =>
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), socket }),
      );
      socket.on("error", reject);
    });
    request.on("error", reject);
    request.end();
  });
}

/** An HTTPS request through a CONNECT tunnel, verified against NODE_EXTRA_CA_CERTS like any Node client. */
export async function httpsThroughProxy(
  port: number,
  options: {
    host?: string;
    method?: string;
    path: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
  },
): Promise<RawResponse> {
  const host = options.host ?? "management.azure.com";
  const tunnel = await connectThroughProxy(port, `${host}:443`);
  if (tunnel.status !== 200) throw new Error(`CONNECT refused: ${tunnel.status} ${tunnel.body}`);
  const secure = tls.connect({ socket: tunnel.socket, servername: host });
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        method: options.method ?? "GET",
        path: options.path,
        headers: { host, ...options.headers },
        createConnection: () => secure,
      },
      (response) =>
        collect(response).then((r) => {
          secure.destroy();
          resolve(r);
        }, reject),
    );
    request.on("error", reject);
    request.end(options.body);
  });
}

export function decodeJwtPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as Record<
    string,
    unknown
  >;
}
