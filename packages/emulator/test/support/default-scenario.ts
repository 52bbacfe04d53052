// Names and IDs of shared/scenarios/default.json, for assertions (a test fails if the scenario changes under it).

export const TENANT_ID = "7c2f9e41-5b8a-4d3e-9f16-2a4b8c6d0e13";
export const SUBSCRIPTION_ID = "3f8a2c6e-91d4-4b7a-8e25-6c0d9b1f4a37";
export const HIDDEN_SUBSCRIPTION_ID = "b5e1d7c9-2a63-4f08-b94e-0d7f3a18c652";
export const SYSTEM_PRINCIPAL_ID = "a1d3f5b7-8c2e-4e69-b0a4-3f6d8e1c9b25";
export const SYSTEM_CLIENT_ID = "c9e7a5b3-1d2f-4a86-9e3c-7b5d1f0a2e48";
export const USER_ASSIGNED_NAME = "id-msi-samples";
export const USER_ASSIGNED_CLIENT_ID = "5d8b2f6a-3e1c-4b97-a6d0-8f2c4e9a1b73";
export const USER_ASSIGNED_PRINCIPAL_ID = "f2c6a0e8-4b7d-4d15-8a39-1e5b7c3f9d60";
export const USER_ASSIGNED_RESOURCE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourcegroups/rg-msi-samples/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-msi-samples`;
export const VM_RESOURCE_ID = `/subscriptions/${SUBSCRIPTION_ID}/resourceGroups/rg-msi-samples/providers/Microsoft.Compute/virtualMachines/vm-msi-samples`;
export const SCENARIO_GROUPS = ["rg-msi-samples", "rg-workshop-data", "rg-workshop-network"];
export const ARM_SCOPE = "https://management.azure.com/.default";
