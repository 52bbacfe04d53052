// The dashboard tests' browser: Debian's chromium through playwright-core. Without it the tests skip on a developer's
// machine (with the command that installs it) and FAIL in CI (CI=true), where .ci/run installs it.
import type { Browser } from "playwright-core";
import {
  CHROMIUM_MISSING,
  chromiumExecutable,
  launchChromium,
} from "../../../scripts/lib/chromium-browser.ts";

export const browserMissing = chromiumExecutable() === undefined;
/** Skip only outside CI: in CI a missing browser is a failure, not a quiet skip. */
export const skipWithoutBrowser = browserMissing && process.env.CI !== "true";

if (browserMissing && !skipWithoutBrowser) console.error(CHROMIUM_MISSING);

export function openBrowser(): Promise<Browser> {
  return launchChromium();
}
