// Serves the dashboard (plain ES modules and CSS from src/dashboard, no build step) from the admin endpoint's origin.
// The page gets this run's admin token in a meta tag; a strict Content-Security-Policy and frame-ancestors 'none' keep
// other pages from scripting or framing it (its grant and revoke buttons must not be clickjacked).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Reply } from "../http/reply.ts";

const DASHBOARD_DIR = fileURLToPath(new URL("../dashboard/", import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};
const SECURITY_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};
const TOKEN_PLACEHOLDER = "__MSI_EMULATOR_ADMIN_TOKEN__";

/** The dashboard file `name` ("" for the page itself), or undefined when there is no such file. */
export async function dashboardFile(name: string, adminToken: string): Promise<Reply | undefined> {
  const file = name === "" ? "index.html" : name;
  // Only plain file names of the dashboard folder: no directories, no dot files.
  if (!/^[a-z0-9][a-z0-9-]*\.(html|js|css|svg)$/.test(file)) return undefined;
  const type = CONTENT_TYPES[path.extname(file)];
  let text: string;
  try {
    text = await readFile(path.join(DASHBOARD_DIR, file), "utf8");
  } catch {
    return undefined;
  }
  if (file === "index.html") text = text.replace(TOKEN_PLACEHOLDER, adminToken);
  return { status: 200, headers: { ...SECURITY_HEADERS, "content-type": type ?? "text/plain" }, body: text };
}
