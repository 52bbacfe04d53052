// The README's curl walkthrough (Microsoft Learn's: a token from IMDS, the resource groups, a Key Vault secret) runs
// as written, with the real curl, under `emulator exec`: curl finds the proxy in http_proxy/https_proxy and trusts the
// emulator through CURL_CA_BUNDLE.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SCENARIO_GROUPS } from "../support/default-scenario.ts";
import { REPO_ROOT, runCli } from "../support/emulator-cli.ts";

const README = readFileSync(path.join(REPO_ROOT, "packages/emulator/README.md"), "utf8");
const WALKTHROUGH = /<!-- curl-walkthrough -->\n```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? "";

describe("the curl walkthrough of the emulator's README", () => {
  it("lists the resource groups and reads the secret with tokens from IMDS", async () => {
    expect(WALKTHROUGH).toContain("curl -sS -H Metadata:true");
    // Without the test run's CA settings: exec gives curl the emulator's bundle, as `env` gives a shell.
    const result = await runCli(["exec", "--quiet", "--", "bash", "-euo", "pipefail", "-c", WALKTHROUGH], {
      CURL_CA_BUNDLE: "",
      SSL_CERT_FILE: "",
    });
    expect(result.status, result.stderr).toBe(0);
    const [groups, secret] = result.stdout.split(/(?<=\})\s*(?=\{)/).map((json) => JSON.parse(json));
    expect(groups.value.map((group: { name: string }) => group.name).sort()).toEqual(
      expect.arrayContaining(SCENARIO_GROUPS),
    );
    expect(secret).toMatchObject({
      value: expect.any(String),
      id: expect.stringMatching(/^https:\/\/kv-msi-samples\.vault\.azure\.net\/secrets\/sample-secret\//),
    });
    expect(result.stdout).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}/);
  });
});
