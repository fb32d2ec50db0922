//! Lenient views of private DNS zones and their children: virtual network links and A record sets.

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
