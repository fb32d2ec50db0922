//! Lenient views of private DNS zones and their children (virtual network links and A record sets), and of the
//! DNS zone groups of private endpoints, which name the zones an endpoint registers its records in.

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `Microsoft.Network/privateDnsZones`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct PrivateDnsZone {
    /// ARM id.
    pub id: String,
    /// Zone name, e.g. `privatelink.azurecr.io`.
    #[serde(default)]
    pub name: String,
}

/// `Microsoft.Network/privateDnsZones/virtualNetworkLinks`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct VirtualNetworkLink {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: VirtualNetworkLinkProperties,
}

/// `properties` of a zone link.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct VirtualNetworkLinkProperties {
    /// The linked VNet.
    pub virtual_network: Option<SubResource>,
    /// Auto-registration on.
    pub registration_enabled: Option<bool>,
    /// `Completed` / `InProgress`.
    pub virtual_network_link_state: Option<String>,
    /// `Default` or `NxDomainRedirect` (api-version 2024-06-01 and later): with `NxDomainRedirect` a query the
    /// zone answers with NXDOMAIN falls back to public resolution
    /// (<https://learn.microsoft.com/azure/dns/private-dns-fallback>). Absent means `Default`.
    pub resolution_policy: Option<String>,
}

/// `Microsoft.Network/privateDnsZones/A`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct ARecordSet {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Relative name, e.g. `contoso` or `contoso.eastus.data`.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: ARecordSetProperties,
}

/// `properties` of an A record set.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ARecordSetProperties {
    /// Fully qualified name with trailing dot.
    pub fqdn: Option<String>,
    /// The addresses.
    pub a_records: Vec<ARecord>,
}

/// One A record.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ARecord {
    /// IPv4 address.
    pub ipv4_address: Option<String>,
}

/// `Microsoft.Network/privateEndpoints/privateDnsZoneGroups`: the zones a private endpoint keeps its records in
/// (often in another subscription: hub-and-spoke landing zones keep `privatelink.*` zones in a connectivity
/// subscription).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct PrivateDnsZoneGroup {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: PrivateDnsZoneGroupProperties,
}

/// `properties` of a DNS zone group.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateDnsZoneGroupProperties {
    /// One entry per zone.
    pub private_dns_zone_configs: Vec<PrivateDnsZoneConfig>,
}

/// One zone of a zone group.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct PrivateDnsZoneConfig {
    /// Name.
    pub name: Option<String>,
    /// Properties.
    pub properties: PrivateDnsZoneConfigProperties,
}

/// `properties` of a zone group's zone.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PrivateDnsZoneConfigProperties {
    /// The zone's ARM id.
    pub private_dns_zone_id: Option<String>,
    /// The record sets the group manages in that zone.
    pub record_sets: Vec<ZoneGroupRecordSet>,
}

/// A record set a zone group manages.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ZoneGroupRecordSet {
    /// `A`.
    pub record_type: Option<String>,
    /// Relative name, e.g. `contoso` or `contoso.eastus.data`.
    pub record_set_name: Option<String>,
    /// Fully qualified name.
    pub fqdn: Option<String>,
    /// Addresses.
    pub ip_addresses: Vec<String>,
}
