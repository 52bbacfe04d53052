// Debian's chromium, driven by playwright-core (no browser download): the one way the dashboard's browser tests, the
// screenshots script and the dashboard benchmark start a browser. Install it with `sudo apt-get install chromium`.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

// Debian's package first; Google Chrome is what GitHub's Ubuntu runners have preinstalled.
const CANDIDATES = [
  process.env.CHROMIUM_PATH,
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
];

/** The browser's executable, or undefined when none is installed. */
export function chromiumExecutable(): string | undefined {
  return CANDIDATES.find((candidate): candidate is string => !!candidate && existsSync(candidate));
}

const CHROMIUM_MISSING =
  "Debian's chromium is not installed: `sudo apt-get install chromium` (or set CHROMIUM_PATH to a Chromium binary).";

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumExecutable();
  if (!executablePath) throw new Error(CHROMIUM_MISSING);
  return chromium.launch({
    executablePath,
    // Containers and CI run as root without a user namespace sandbox; the page is our own loopback server.
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}
