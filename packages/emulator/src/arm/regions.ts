// The Azure regions the emulated subscriptions offer, with the metadata ARM's location list carries (region type and
// category, geography and its group, coordinates, physical location, paired region, availability zone mappings).
// Shapes: azure-rest-api-specs specification/resources/resource-manager/Microsoft.Resources/subscriptions/stable/
// 2022-12-01/subscriptions.json (Location, LocationMetadata, PairedRegion, AvailabilityZoneMappings); pairs and
// physical locations: learn.microsoft.com/azure/reliability/cross-region-replication-azure.

interface Region {
  name: string;
  displayName: string;
  geography: string;
  geographyGroup: string;
  latitude: string;
  longitude: string;
  physicalLocation: string;
  pairedRegion: string;
}

/** A few public-cloud regions, all with availability zones: enough for samples that list or validate locations. */
export const REGIONS: readonly Region[] = [
  region("eastus", "East US", "United States", "US", "37.3719", "-79.8164", "Virginia", "westus"),
  region("eastus2", "East US 2", "United States", "US", "36.6681", "-78.3889", "Virginia", "centralus"),
  region("westus2", "West US 2", "United States", "US", "47.233", "-119.852", "Washington", "westcentralus"),
  region("westus3", "West US 3", "United States", "US", "33.448376", "-112.074036", "Phoenix", "eastus"),
  region("centralus", "Central US", "United States", "US", "41.5908", "-93.6208", "Iowa", "eastus2"),
  region("northeurope", "North Europe", "Europe", "Europe", "53.3478", "-6.2597", "Ireland", "westeurope"),
  region("westeurope", "West Europe", "Europe", "Europe", "52.3667", "4.9", "Netherlands", "northeurope"),
  region(
    "southcentralus",
    "South Central US",
    "United States",
    "US",
    "29.4167",
    "-98.5",
    "Texas",
    "northcentralus",
  ),
];

function region(
  name: string,
  displayName: string,
  geography: string,
  geographyGroup: string,
  latitude: string,
  longitude: string,
  physicalLocation: string,
  pairedRegion: string,
): Region {
  return {
    name,
    displayName,
    geography,
    geographyGroup,
    latitude,
    longitude,
    physicalLocation,
    pairedRegion,
  };
}

/** One entry of Subscriptions_ListLocations for `subscriptionId`. */
export function locationBody(subscriptionId: string, entry: Region): Record<string, unknown> {
  return {
    id: `/subscriptions/${subscriptionId}/locations/${entry.name}`,
    name: entry.name,
    type: "Region",
    displayName: entry.displayName,
    regionalDisplayName: `(${entry.geographyGroup}) ${entry.displayName}`,
    metadata: {
      regionType: "Physical",
      regionCategory: "Recommended",
      geography: entry.geography,
      geographyGroup: entry.geographyGroup,
      longitude: entry.longitude,
      latitude: entry.latitude,
      physicalLocation: entry.physicalLocation,
      pairedRegion: [
        {
          name: entry.pairedRegion,
          id: `/subscriptions/${subscriptionId}/locations/${entry.pairedRegion}`,
        },
      ],
    },
    // Each subscription maps logical zones to physical ones; this world maps them in order.
    availabilityZoneMappings: ["1", "2", "3"].map((zone) => ({
      logicalZone: zone,
      physicalZone: `${entry.name}-az${zone}`,
    })),
  };
}
