// "Reset to scenario" from the dashboard: the world becomes what the scenario describes again (groups, resources,
// role assignments, secrets, the VM IMDS answers as), in place, so every service keeps its reference to it.
import { WorldState as World, type WorldState } from "../state/world-state.ts";

export async function resetWorldToScenario(world: WorldState): Promise<void> {
  const fresh = World.fromScenario(world.scenario).snapshot();
  for (const group of world.snapshot().resourceGroups)
    world.deleteResourceGroup(group.subscriptionId, group.name);
  for (const resource of world.listResources()) world.deleteResource(resource.id);
  for (const assignment of world.roleAssignments) world.removeRoleAssignment(assignment.name);
  for (const group of fresh.resourceGroups) world.putResourceGroup(group);
  for (const resource of fresh.resources) world.putResource(resource);
  for (const assignment of fresh.roleAssignments) world.addRoleAssignment(assignment);
  // Each service reads its namespace afresh on every use, so the scenario's can simply replace them.
  world.replaceNamespaces(fresh.namespaces);
  world.useVirtualMachine(world.scenario.currentVm);
  await world.commit();
}
