import http from "node:http";
import { startEmulator } from "/work/wt/issue-14/packages/emulator/src/index.ts";

const emulator = await startEmulator({ dashboard: true, home: "/tmp/dash-home" });
const agent = new http.Agent({ keepAlive: true, maxSockets: 16 });
const one = () =>
  new Promise<void>((res, rej) => {
    const r = http.request(
      {
        host: "127.0.0.1",
        port: emulator.port,
        path: "http://169.254.169.254/metadata/instance?api-version=2021-02-01",
        agent,
        headers: { host: "169.254.169.254", metadata: "true" },
      },
      (s) => {
        s.resume();
        s.on("end", () => res());
      },
    );
    r.on("error", rej);
    r.end();
  });
let n = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (n++ < 10000) await one();
  }),
);
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const r = await fetch(`${emulator.adminUrl}/requests`);
  const txt = await r.text();
  const t2 = performance.now();
  const list = emulator.requests();
  const t3 = performance.now();
  const j = JSON.stringify({ requests: list });
  const t4 = performance.now();
  console.log(
    `fetch ${Math.round(t2 - t)} ms, ${txt.length} bytes; list ${Math.round(t3 - t2)} ms; stringify ${Math.round(t4 - t3)}`,
  );
}
await emulator.stop();
