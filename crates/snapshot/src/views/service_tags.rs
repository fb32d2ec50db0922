//! The Service Tags API response (`GET .../locations/{region}/serviceTags`).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// One response of the Service Tags API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceTagsList {
    /// Cloud name (`Public`, `AzureChinaCloud`, ...).
    pub cloud: Option<String>,
    /// Version of the list.
    pub change_number: Option<String>,
    /// The tags.
    pub values: Vec<ServiceTag>,
}

/// One service tag, e.g. `Storage.EastUS`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct ServiceTag {
    /// Tag name.
    pub name: String,
    /// Properties.
    pub properties: ServiceTagProperties,
}

/// `properties` of a service tag.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceTagProperties {
    /// Region, empty for global tags.
    pub region: Option<String>,
    /// e.g. `AzureStorage`.
    pub system_service: Option<String>,
    /// CIDR prefixes.
    pub address_prefixes: Vec<String>,
}
