//! Lenient views of role assignments and role definitions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `Microsoft.Authorization/roleAssignments` (api-version 2022-04-01).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RoleAssignment {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Properties.
    pub properties: RoleAssignmentProperties,
}

/// `properties` of a role assignment.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignmentProperties {
    /// The role definition id.
    pub role_definition_id: String,
    /// Object id of the principal.
    pub principal_id: String,
    /// `ServicePrincipal`, `User`, `Group`, ...
    #[serde(default)]
    pub principal_type: Option<String>,
    /// Where the assignment is made.
    #[serde(default)]
    pub scope: Option<String>,
    /// An ABAC condition that narrows the assignment (for registries: to some repositories), e.g.
    /// `@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'app'`.
    #[serde(default)]
    pub condition: Option<String>,
    /// Version of the condition language (`2.0`).
    #[serde(default)]
    pub condition_version: Option<String>,
}

/// `Microsoft.Authorization/roleDefinitions`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RoleDefinition {
    /// ARM id.
    pub id: String,
    /// The GUID.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: RoleDefinitionProperties,
}

/// `properties` of a role definition.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RoleDefinitionProperties {
    /// e.g. `AcrPull`.
    pub role_name: Option<String>,
    /// `BuiltInRole` / `CustomRole`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Permission blocks.
    pub permissions: Vec<Permission>,
}

/// One permission block.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct Permission {
    /// Control-plane actions (wildcards allowed).
    pub actions: Vec<String>,
    /// Subtracted from actions.
    pub not_actions: Vec<String>,
    /// Data-plane actions.
    pub data_actions: Vec<String>,
    /// Subtracted from data actions.
    pub not_data_actions: Vec<String>,
}
