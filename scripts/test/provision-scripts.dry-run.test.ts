// Runs scripts/provision-vm.sh and scripts/cleanup.sh as a user would: their dry runs (no Azure CLI
// needed), and real runs against a stand-in `az` on PATH that records every call, so that a dry
// run's printed commands can be shown to be exactly the commands a real run makes.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const repoRoot = resolve(import.meta.dirname, "../..");
const provisionScript = join(repoRoot, "scripts/provision-vm.sh");
const cleanupScript = join(repoRoot, "scripts/cleanup.sh");
const labCommandsScript = join(repoRoot, "scripts/lib/lab-commands.sh");
const templateFile = join(repoRoot, "shared/templates/lab-vm.json");

const subscriptionId = "00000000-0000-4000-8000-000000000001";
const outputs: Record<string, string> = {
  systemAssignedPrincipalId: "11111111-1111-4111-8111-111111111111",
  userAssignedPrincipalId: "22222222-2222-4222-8222-222222222222",
  userAssignedClientId: "33333333-3333-4333-8333-333333333333",
  userAssignedResourceId: `/subscriptions/${subscriptionId}/resourceGroups/lab-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/msilab-identity`,
  sshCommand: "ssh azureuser@msilab-abc.eastus.cloudapp.azure.com",
  vaultName: "kv-abcdefghijklm",
};
const readerRoleId = "acdd72a7-3385-48ef-bd42-f606fba81ae7";

/** How a dry run writes a value that a real run reads from an earlier command: ${name}. */
const v = (name: string) => `\${${name}}`;

// A stand-in for the Azure CLI (bash, so that it starts fast): appends its arguments to
// $AZ_STUB_LOG, each ended by a NUL and the call ended by an RS character, and answers the few
// queries the scripts make. AZ_STUB_* variables choose the world it describes.
const azStub = `#!/usr/bin/env bash
for word in "$@"; do printf '%s\\0' "$word"; done >>"$AZ_STUB_LOG"
printf '\\036\\0' >>"$AZ_STUB_LOG"
query=""
previous=""
for word in "$@"; do
  if [ "$previous" = --query ]; then query=$word; fi
  previous=$word
done
case "$1 $2 $3" in
  "account show "*)
    if [ -n "\${AZ_STUB_SIGNED_OUT-}" ]; then
      echo "ERROR: Please run 'az login' to setup account." >&2
      exit 1
    fi
    echo ${subscriptionId} ;;
  "group exists "*) echo "\${AZ_STUB_GROUP_EXISTS:-false}" ;;
  "group show "*)
    case $query in
      tags.createdBy) echo "\${AZ_STUB_CREATED_BY-}" ;;
      location) echo eastus ;;
    esac ;;
  "deployment group show")
    case $query in
${Object.entries(outputs)
  .map(([name, value]) => `      properties.outputs.${name}.value) echo '${value}' ;;`)
  .join("\n")}
    esac ;;
  "role assignment list")
    principal=\${query#*principalId==\\'}
    principal=\${principal%%\\'*}
    echo "/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments/ra-$principal" ;;
esac
exit 0
`;

let workDir: string;
let stubBin: string;
let home: string;
let sshKey: string;
let logCount = 0;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), "provision-scripts-"));
  stubBin = join(workDir, "bin");
  home = join(workDir, "home");
  mkdirSync(stubBin);
  mkdirSync(join(home, ".ssh"), { recursive: true });
  writeFileSync(join(stubBin, "az"), azStub);
  chmodSync(join(stubBin, "az"), 0o755);
  if (spawnSync("openssl", ["version"]).status !== 0) {
    // provision-vm.sh generates the secret with `openssl rand -hex 24`; stand in where it is missing.
    writeFileSync(
      join(stubBin, "openssl"),
      "#!/usr/bin/env bash\nod -An -N24 -tx1 /dev/urandom | tr -d ' \\n'\necho\n",
    );
    chmodSync(join(stubBin, "openssl"), 0o755);
  }
  sshKey = join(workDir, "lab key.pub");
  writeFileSync(sshKey, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests tester@example\n");
});

afterAll(() => {
  rmSync(workDir, { recursive: true, force: true });
});

type Run = { status: number | null; stdout: string; stderr: string; azCalls: string[][] };

/** Runs a script (or any bash file) with the stand-in az first on PATH; stdin is not a terminal. */
function runBash(
  file: string,
  args: string[],
  world: Record<string, string> = {},
  bashFlags: string[] = [],
): Run {
  logCount += 1;
  const log = join(workDir, `az-calls-${logCount}.log`);
  writeFileSync(log, "");
  const result = spawnSync("bash", [...bashFlags, file, ...args], {
    encoding: "utf8",
    env: { PATH: `${stubBin}:${process.env.PATH}`, HOME: home, AZ_STUB_LOG: log, ...world },
  });
  const azCalls = readFileSync(log, "utf8")
    .split("\x1e\0")
    .filter((call) => call !== "")
    .map((call) => call.split("\0").slice(0, -1));
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, azCalls };
}

/** Runs a dry run's output as the bash script it claims to be. */
function runPrinted(printed: string, world: Record<string, string> = {}): Run {
  const file = join(workDir, `printed-${logCount + 1}.sh`);
  writeFileSync(file, printed);
  return runBash(file, [], world, ["-euo", "pipefail"]);
}

/** The command lines of a dry run, `name=$(command)` shown as the command, guards left out. */
function printedCommands(printed: string): string[] {
  return printed
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#") && !/^(if |fi$|\[ )/.test(line))
    .map((line) => line.replace(/^[a-z_]+=\$\((.*)\)$/, "$1"));
}

/** Each expected start of a command, in order, and nothing else. */
function expectCommandSequence(commands: string[], expectedStarts: string[]): void {
  expect(commands).toHaveLength(expectedStarts.length);
  commands.forEach((command, index) => {
    expect(command.startsWith(expectedStarts[index]!), `command ${index + 1}: ${command}`).toBe(true);
  });
}

/** az calls with the generated secret value replaced, after checking it looks generated. */
function withSecretMasked(calls: string[][]): string[][] {
  return calls.map((call) =>
    call.map((word) => {
      const secret = /^secretValue=(.*)$/.exec(word);
      if (!secret) return word;
      expect(secret[1]).toMatch(/^[0-9a-f]{48}$/);
      return "secretValue=<generated>";
    }),
  );
}

describe("both scripts", () => {
  it.each([provisionScript, cleanupScript])("%s passes bash -n", (script) => {
    const result = spawnSync("bash", ["-n", script], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  // CI installs shellcheck (.ci/run), so there the check always runs; elsewhere it runs when installed.
  const shellcheckAvailable =
    spawnSync("shellcheck", ["--version"]).status === 0 || process.env.CI === "true";
  it.skipIf(!shellcheckAvailable).each([provisionScript, cleanupScript, labCommandsScript])(
    "%s passes shellcheck",
    (script) => {
      const result = spawnSync("shellcheck", ["-x", script], { encoding: "utf8" });
      expect(result.stdout).toBe("");
      expect(result.status).toBe(0);
    },
  );

  it.each([provisionScript, cleanupScript])(
    "%s runs every az command through the shared helpers",
    (script) => {
      expect(readFileSync(script, "utf8")).toContain('/lib/lab-commands.sh"');
    },
  );

  it.each([provisionScript, cleanupScript])(
    "%s --help prints the usage and exits 0 without calling az",
    (script) => {
      const run = runBash(script, ["--help"]);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^Usage: scripts\/(provision-vm|cleanup)\.sh \[options\]/);
      expect(run.stdout).toContain("--dry-run");
      expect(run.stdout).toContain("--resource-group");
      expect(run.azCalls).toEqual([]);
    },
  );

  it.each([provisionScript, cleanupScript])("%s rejects an unknown option with exit 2", (script) => {
    const run = runBash(script, ["--bogus"]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("unknown option '--bogus'");
    expect(run.azCalls).toEqual([]);
  });
});

describe("provision-vm.sh", () => {
  const labArgs = ["--resource-group", "lab-rg", "--location", "westeurope", "--ssh-key", ""];
  const args = () => labArgs.map((arg) => (arg === "" ? sshKey : arg));

  it("prints the complete command sequence in a dry run, calling no az", () => {
    const run = runBash(provisionScript, ["--dry-run", ...args()]);
    expect(run.status).toBe(0);
    expect(run.azCalls).toEqual([]);
    expectCommandSequence(printedCommands(run.stdout), [
      "az account show --query id --output tsv",
      `az group exists --subscription "${v("subscription_id")}" --name lab-rg`,
      `az group create --subscription "${v("subscription_id")}" --name lab-rg --location westeurope --tags createdBy=provision-vm.sh purpose=msi-samples-lab`,
      `cat '${sshKey}'`,
      "openssl rand -hex 24",
      `az deployment group create --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --template-file ${templateFile}`,
      `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --query properties.outputs.systemAssignedPrincipalId.value --output tsv`,
      `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --query properties.outputs.userAssignedPrincipalId.value --output tsv`,
      `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --query properties.outputs.sshCommand.value --output tsv`,
      `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --query properties.outputs.vaultName.value --output tsv`,
      `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab --query properties.outputs.userAssignedClientId.value --output tsv`,
      `az role assignment create --assignee-object-id "${v("system_principal_id")}" --assignee-principal-type ServicePrincipal --role Reader --scope "/subscriptions/${v("subscription_id")}"`,
      `az role assignment create --assignee-object-id "${v("user_principal_id")}" --assignee-principal-type ServicePrincipal --role Reader --scope "/subscriptions/${v("subscription_id")}"`,
    ]);
    const deploy = printedCommands(run.stdout)[5]!;
    for (const parameter of [
      "namePrefix=msilab",
      "adminUsername=azureuser",
      `"adminPublicKey=${v("admin_public_key")}"`,
      "'sshSourceAddressPrefix=*'",
      "vmSize=Standard_B2s",
      "installNode=true",
      "secretName=sample-secret",
      `"secretValue=${v("lab_secret_value")}"`,
    ]) {
      expect(deploy).toContain(` ${parameter}`);
    }
    expect(run.stderr).toContain("SSH (port 22) will be open to any address");
  });

  it("prints next steps with the ssh command and the sample commands for both identities", () => {
    const run = runBash(provisionScript, ["--dry-run", ...args()]);
    const nextSteps = run.stdout.slice(run.stdout.indexOf("# Next steps"));
    expect(nextSteps).toContain(`#      ${v("ssh_command")}`);
    expect(nextSteps).toContain("cloud-init status --wait && node --version && pnpm --version");
    expect(nextSteps).toContain(
      `pnpm --dir samples/keyvault-and-resource-groups start --vault-name ${v("vault_name")}`,
    );
    expect(nextSteps).toContain(
      `pnpm --dir samples/user-assigned-identity start --client-id ${v("user_assigned_id")}`,
    );
    expect(nextSteps).toContain(
      `AZURE_CLIENT_ID=${v("user_assigned_id")} pnpm --dir samples/keyvault-and-resource-groups`,
    );
    expect(nextSteps).toContain("scripts/cleanup.sh --resource-group lab-rg --purge-vault");
  });

  it("makes exactly the printed az calls when run for real, and never prints the secret", () => {
    const dryRun = runBash(provisionScript, ["--dry-run", ...args()]);
    const printed = runPrinted(dryRun.stdout);
    expect(printed.stderr).toBe("");
    expect(printed.status).toBe(0);

    const real = runBash(provisionScript, args());
    expect(real.stderr).not.toContain("error:");
    expect(real.status).toBe(0);
    expect(withSecretMasked(real.azCalls)).toEqual(withSecretMasked(printed.azCalls));

    const deploy = real.azCalls.find((call) => call.slice(0, 3).join(" ") === "deployment group create")!;
    expect(deploy).toContain(`--template-file`);
    expect(deploy[deploy.indexOf("--template-file") + 1]).toBe(templateFile);
    expect(deploy).toContain(
      "adminPublicKey=ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFakeKeyForTests tester@example",
    );
    const secret = deploy.find((word) => word.startsWith("secretValue="))!.slice("secretValue=".length);
    expect(real.stdout + real.stderr).not.toContain(secret);
    expect(real.stdout).toContain(`"secretValue=${v("lab_secret_value")}"`);

    const readerAssignments = real.azCalls.filter(
      (call) => call.slice(0, 3).join(" ") === "role assignment create",
    );
    expect(readerAssignments).toEqual(
      [outputs.systemAssignedPrincipalId, outputs.userAssignedPrincipalId].map((principal) => [
        "role",
        "assignment",
        "create",
        "--assignee-object-id",
        principal,
        "--assignee-principal-type",
        "ServicePrincipal",
        "--role",
        "Reader",
        "--scope",
        `/subscriptions/${subscriptionId}`,
        "--output",
        "none",
      ]),
    );
    expect(real.stdout).toContain(`     ${outputs.sshCommand}\n`);
    expect(real.stdout).toContain(`--client-id ${outputs.userAssignedClientId}`);
    expect(real.stdout).toContain(`--vault-name ${outputs.vaultName}`);
  });

  it("uses an existing resource group as it is, without creating or tagging it", () => {
    const real = runBash(provisionScript, args(), { AZ_STUB_GROUP_EXISTS: "true" });
    expect(real.status).toBe(0);
    expect(real.azCalls.some((call) => call.slice(0, 2).join(" ") === "group create")).toBe(false);
    expect(real.stdout).toContain("Resource group 'lab-rg' exists: using it as it is");
  });

  it.each([
    ["object-id", "--object-id", outputs.userAssignedPrincipalId, "AZURE_MANAGED_IDENTITY_OBJECT_ID"],
    ["resource-id", "--resource-id", outputs.userAssignedResourceId, "AZURE_MANAGED_IDENTITY_RESOURCE_ID"],
  ])("shows the user-assigned identity by %s in the next steps", (selector, flag, value, environmentName) => {
    const real = runBash(provisionScript, [...args(), "--user-assigned-selector", selector!]);
    expect(real.status).toBe(0);
    expect(real.stdout).toContain(`pnpm --dir samples/user-assigned-identity start ${flag} ${value}`);
    expect(real.stdout).toContain(
      `${environmentName}=${value} pnpm --dir samples/keyvault-and-resource-groups`,
    );
  });

  it("passes --subscription to az and installNode=false with --no-node", () => {
    const run = runBash(provisionScript, ["--dry-run", ...args(), "--subscription", "my-sub", "--no-node"]);
    const commands = printedCommands(run.stdout);
    expect(commands[0]).toBe("az account show --subscription my-sub --query id --output tsv");
    expect(commands[5]).toContain(" installNode=false ");
  });

  it("stops with the fix when az is not signed in", () => {
    const real = runBash(provisionScript, args(), { AZ_STUB_SIGNED_OUT: "1" });
    expect(real.status).toBe(1);
    expect(real.stderr).toContain("error: the Azure CLI is not signed in.");
    expect(real.stderr).toContain("Fix: run 'az login'");
    expect(real.azCalls).toEqual([["account", "show", "--query", "id", "--output", "tsv"]]);
  });

  it("finds the default SSH key in ~/.ssh, and says how to make one when there is none", () => {
    const missing = runBash(provisionScript, ["--resource-group", "lab-rg", "--location", "westeurope"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("ssh-keygen -t ed25519");
    // A dry run needs no key: it shows the default path as a placeholder, and says so.
    const placeholder = runBash(provisionScript, ["--dry-run"]);
    expect(placeholder.status, placeholder.stderr).toBe(0);
    expect(placeholder.stderr).toContain(`this dry run shows ${home}/.ssh/id_ed25519.pub as a placeholder`);
    expect(placeholder.stdout).toContain(`admin_public_key=$(cat ${home}/.ssh/id_ed25519.pub)`);

    writeFileSync(join(home, ".ssh/id_rsa.pub"), "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABFake tester@example\n");
    const found = runBash(provisionScript, ["--dry-run"]);
    expect(found.status).toBe(0);
    expect(found.stdout).toContain(`admin_public_key=$(cat ${home}/.ssh/id_rsa.pub)`);
    rmSync(join(home, ".ssh/id_rsa.pub"));
  });

  it.each([
    [["--name-prefix", "Lab"], "--name-prefix 'Lab' must start with a lowercase letter"],
    [["--name-prefix", "a-very-long-prefix"], "must be 3 to 12 characters long"],
    [
      ["--user-assigned-selector", "name"],
      "--user-assigned-selector must be client-id, object-id or resource-id",
    ],
    [["--ssh-key", "/nonexistent/id.pub"], "--ssh-key '/nonexistent/id.pub' is not a file"],
    [["--resource-group"], "--resource-group needs a value"],
  ])("rejects bad input %j with exit 2 before calling az", (badArgs, message) => {
    const run = runBash(provisionScript, [...args(), ...badArgs]);
    expect(run.stderr).toContain(message);
    expect(run.status).toBe(2);
    expect(run.azCalls).toEqual([]);
  });

  it("refuses a private key", () => {
    const run = runBash(provisionScript, ["--ssh-key", join(workDir, "id_ed25519")]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("must be a public key (a .pub file)");
  });
});

describe("cleanup.sh", () => {
  const ourGroup = { AZ_STUB_GROUP_EXISTS: "true", AZ_STUB_CREATED_BY: "provision-vm.sh" };

  it("prints the complete command sequence in a dry run, calling no az", () => {
    const run = runBash(cleanupScript, ["--dry-run", "--resource-group", "lab-rg", "--purge-vault"]);
    expect(run.status).toBe(0);
    expect(run.azCalls).toEqual([]);
    const show = `az deployment group show --subscription "${v("subscription_id")}" --resource-group lab-rg --name msi-lab`;
    expectCommandSequence(printedCommands(run.stdout), [
      "az account show --query id --output tsv",
      `az group exists --subscription "${v("subscription_id")}" --name lab-rg`,
      `az group show --subscription "${v("subscription_id")}" --name lab-rg --query tags.createdBy --output tsv`,
      `az group show --subscription "${v("subscription_id")}" --name lab-rg --query location --output tsv`,
      `${show} --query properties.outputs.systemAssignedPrincipalId.value --output tsv`,
      `${show} --query properties.outputs.userAssignedPrincipalId.value --output tsv`,
      `${show} --query properties.outputs.vaultName.value --output tsv`,
      `az role assignment list --scope "/subscriptions/${v("subscription_id")}" --role Reader --query "[?principalId=='${v("system_principal_id")}'].id | [0]" --output tsv`,
      `az role assignment list --scope "/subscriptions/${v("subscription_id")}" --role Reader --query "[?principalId=='${v("user_principal_id")}'].id | [0]" --output tsv`,
      `az role assignment delete --ids "${v("system_reader_assignment_id")}"`,
      `az role assignment delete --ids "${v("user_reader_assignment_id")}"`,
      `az group delete --subscription "${v("subscription_id")}" --name lab-rg --yes`,
      `az keyvault purge --subscription "${v("subscription_id")}" --name "${v("vault_name")}" --location "${v("location")}"`,
    ]);
    expect(run.stdout).toContain(`if [ "${v("created_by")}" = provision-vm.sh ]; then`);
    expect(run.stdout).toContain("# Here cleanup.sh asks for confirmation, unless --yes.");
  });

  it("does not purge the vault without --purge-vault", () => {
    const run = runBash(cleanupScript, ["--dry-run"]);
    const commands = printedCommands(run.stdout);
    expect(commands.some((command) => command.includes("keyvault purge"))).toBe(false);
    expect(commands.some((command) => command.includes("outputs.vaultName"))).toBe(false);
    expect(commands.at(-1)).toBe(
      `az group delete --subscription "${v("subscription_id")}" --name msi-samples-lab --yes`,
    );
  });

  it("makes exactly the printed az calls when run for real with --yes", () => {
    const args = ["--resource-group", "lab-rg", "--purge-vault"];
    const printed = runPrinted(runBash(cleanupScript, ["--dry-run", ...args]).stdout, ourGroup);
    expect(printed.stderr).toBe("");
    expect(printed.status).toBe(0);

    const real = runBash(cleanupScript, [...args, "--yes"], ourGroup);
    expect(real.stderr).toBe("");
    expect(real.status).toBe(0);
    expect(real.azCalls).toEqual(printed.azCalls);
    const deletions = real.azCalls.filter((call) => call.includes("delete") || call.includes("purge"));
    expect(deletions).toEqual([
      [
        "role",
        "assignment",
        "delete",
        "--ids",
        `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments/ra-${outputs.systemAssignedPrincipalId}`,
      ],
      [
        "role",
        "assignment",
        "delete",
        "--ids",
        `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments/ra-${outputs.userAssignedPrincipalId}`,
      ],
      ["group", "delete", "--subscription", subscriptionId, "--name", "lab-rg", "--yes"],
      [
        "keyvault",
        "purge",
        "--subscription",
        subscriptionId,
        "--name",
        outputs.vaultName,
        "--location",
        "eastus",
      ],
    ]);
  });

  it("keeps a resource group that provision-vm.sh did not create, deleting only the role assignments", () => {
    const world = { AZ_STUB_GROUP_EXISTS: "true", AZ_STUB_CREATED_BY: "" };
    const real = runBash(cleanupScript, ["--resource-group", "lab-rg", "--purge-vault", "--yes"], world);
    expect(real.status).toBe(0);
    const deletions = real.azCalls.filter((call) => call.includes("delete") || call.includes("purge"));
    expect(deletions.map((call) => call.slice(0, 3).join(" "))).toEqual([
      "role assignment delete",
      "role assignment delete",
    ]);
    expect(real.stdout).toContain("Resource group 'lab-rg' was not created by provision-vm.sh");
    expect(real.stdout).toContain("--tag purpose=msi-samples-lab");
  });

  it("has nothing to do when the resource group does not exist", () => {
    const real = runBash(cleanupScript, ["--yes"], { AZ_STUB_GROUP_EXISTS: "false" });
    expect(real.status).toBe(0);
    expect(real.stdout).toContain("does not exist in subscription");
    expect(real.azCalls.map((call) => call.slice(0, 2).join(" "))).toEqual(["account show", "group exists"]);
  });

  it("refuses to delete without --yes when it cannot ask, before calling az", () => {
    const real = runBash(cleanupScript, [], ourGroup);
    expect(real.status).toBe(2);
    expect(real.stderr).toContain("pass --yes to confirm");
    expect(real.azCalls).toEqual([]);
  });

  it("stops with the fix when az is not signed in", () => {
    const real = runBash(cleanupScript, ["--yes"], { AZ_STUB_SIGNED_OUT: "1" });
    expect(real.status).toBe(1);
    expect(real.stderr).toContain("Fix: run 'az login'");
  });
});

describe("the role the scripts assign", () => {
  it("is the built-in Reader, whose ID the lab documents", () => {
    // Reader is assigned by name; its ID (Azure built-in roles, "General") is listed in the lab README.
    expect(readFileSync(join(repoRoot, "shared/templates/README-lab.md"), "utf8")).toContain(readerRoleId);
  });
});
