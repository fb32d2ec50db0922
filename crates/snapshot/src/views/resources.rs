//! Lenient view of a resource provider's registration state in a subscription.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `GET /subscriptions/{s}/providers/{namespace}`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Provider {
    /// `/subscriptions/{s}/providers/{namespace}`.
    pub id: String,
    /// e.g. `Microsoft.ContainerRegistry`.
    #[serde(default)]
    pub namespace: String,
    /// `Registered`, `NotRegistered`, ...
    #[serde(default)]
    pub registration_state: Option<String>,
}
