// Which of the subscriptions an identity can see to use. The original takes the first one; here one visible
// subscription is used, among several the VM's own one, and otherwise the user must choose.
import type { Subscription } from "@azure/arm-resources-subscriptions";
import { getInstanceMetadata, roleAssignmentCommand, UsageError } from "@msi-samples/identity";

export async function chooseSubscription(
  subscriptions: Subscription[],
  objectId: string,
): Promise<{ id: string; source: string }> {
  const visible = subscriptions.filter(
    (subscription) => subscription.state !== "Disabled" && subscription.state !== "Deleted",
  );
  if (visible.length === 1 && visible[0]?.subscriptionId) {
    return { id: visible[0].subscriptionId, source: "the only subscription the identity can see" };
  }
  // The VM's own subscription decides among several, and is the scope to suggest when there is none.
  const vmSubscription = await getInstanceMetadata().then(
    (vm) => vm.subscriptionId.toLowerCase(),
    () => undefined,
  );
  if (visible.length === 0) {
    const scope = `/subscriptions/${vmSubscription ?? "<subscription-id>"}`;
    throw new Error(
      `The identity (object ID ${objectId}) has no role in any subscription. Grant it one, for ` +
        `example: ${roleAssignmentCommand(objectId, "Reader", scope)}`,
    );
  }
  const own = visible.find((s) => s.subscriptionId?.toLowerCase() === vmSubscription);
  if (own?.subscriptionId) {
    return {
      id: own.subscriptionId,
      source: `the VM's own subscription, one of ${visible.length} the identity can see`,
    };
  }
  const choices = visible.map((s) => `  ${s.subscriptionId}  ${s.displayName ?? ""}`).join("\n");
  throw new UsageError(
    `The identity can see ${visible.length} subscriptions; choose one with --subscription-id ` +
      `(or AZURE_SUBSCRIPTION_ID):\n${choices}`,
    { setting: "--subscription-id / AZURE_SUBSCRIPTION_ID" },
  );
}
