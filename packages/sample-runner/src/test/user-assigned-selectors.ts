// The three ways a sample is told which user-assigned identity to sign in as (flag, IMDS query parameter, the words
// its messages use), and what every sample must print when it signed in that way or the identity is not on the VM.
import { expect } from "vitest";
import { tokenRequestSelector, tokenRequests } from "../request-tally.ts";
import { describeRun, type SampleTestRun, type VmIdentities } from "./sample-end-to-end.ts";

export interface UserAssignedSelector {
  flag: "--client-id" | "--object-id" | "--resource-id";
  /** The query parameter the SDK sends to IMDS for it. */
  parameter: "client_id" | "object_id" | "msi_res_id";
  /** How the samples' messages name it. */
  label: "client ID" | "object ID" | "resource ID";
  /** The VM's user-assigned identity's value for it (read once the emulator runs). */
  value: () => string;
}

const labels = {
  "--client-id": "client ID",
  "--object-id": "object ID",
  "--resource-id": "resource ID",
} as const satisfies Record<UserAssignedSelector["flag"], UserAssignedSelector["label"]>;

/** One case per selector, for `it.each` (titles can use `$flag`, `$parameter` and `$label`). */
export function userAssignedSelectors(sample: { readonly identities: VmIdentities }): UserAssignedSelector[] {
  const user = () => sample.identities.user;
  return [
    {
      flag: "--client-id",
      parameter: "client_id",
      label: labels["--client-id"],
      value: () => user().clientId,
    },
    {
      flag: "--object-id",
      parameter: "object_id",
      label: labels["--object-id"],
      value: () => user().principalId,
    },
    {
      flag: "--resource-id",
      parameter: "msi_res_id",
      label: labels["--resource-id"],
      value: () => user().resourceId,
    },
  ];
}

/**
 * Exit 0, "Signed in as user-assigned identity '<name>'" among the messages (stderr with --json), and each of the
 * `tokens` IMDS token requests carrying the selector's parameter with its value.
 */
export function expectSignedInWithSelector(
  run: SampleTestRun,
  {
    selector,
    user,
    tokens = 1,
  }: { selector: UserAssignedSelector; user: VmIdentities["user"]; tokens?: number },
): void {
  expect(run.status, describeRun(run)).toBe(0);
  const messages = run.args.includes("--json") ? run.stderr : run.stdout;
  expect(messages, describeRun(run)).toContain(`Signed in as user-assigned identity '${user.name}'`);
  expect(tokenRequests(run.requests).map(tokenRequestSelector)).toEqual(
    Array.from({ length: tokens }, () => ({ [selector.parameter]: selector.value() })),
  );
}

/**
 * Exit 1 with IMDS's "Identity not found" explained: the selector and value as given, and the command that assigns an
 * identity to the VM; and no request went past IMDS to Resource Manager or Key Vault.
 */
export function expectIdentityNotOnVm(
  run: SampleTestRun,
  { flag, value }: { flag: UserAssignedSelector["flag"]; value: string },
): void {
  expect(run.status, describeRun(run)).toBe(1);
  expect(run.stderr, describeRun(run)).toContain(
    `IMDS found no user-assigned identity with ${labels[flag]} ${value} (from ${flag}) on this VM.`,
  );
  expect(run.stderr, describeRun(run)).toContain("az vm identity assign");
  expect(
    run.requests.filter((e) => e.service === "arm" || e.service === "keyvault"),
    "requests past IMDS",
  ).toEqual([]);
}
