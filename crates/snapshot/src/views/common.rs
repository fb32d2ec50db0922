//! Shapes every ARM view embeds: references to other resources and address spaces.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A reference to another resource (`{"id": "..."}`), as ARM embeds them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq, JsonSchema)]
pub struct SubResource {
    /// The referenced resource id, as ARM spelled it.
    #[serde(default)]
    pub id: String,
}

/// `{"addressPrefixes": [...]}` as used by VNet address spaces and peerings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AddressSpace {
    /// CIDR prefixes.
    pub address_prefixes: Vec<String>,
}
