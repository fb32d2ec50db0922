//! Lenient views of the workloads that pull images besides AKS: App Service sites (and their `config/web`),
//! Container Apps and their managed environments, container groups (Azure Container Instances), and the
//! registry's own ACR Tasks and agent pools.
//!
//! Field names follow the REST specs of each api-version in the resource-type table; fields the published
//! examples leave out (a site's `virtualNetworkSubnetId`, a container app's `configuration.registries`, an agent
//! pool's `virtualNetworkSubnetResourceId`) are taken from the spec models, and `docs/snapshot.md` says which.
//! ARM sends empty strings where a value is unset (`"identity": ""`, `"linuxFxVersion": ""`): analysis treats an
//! empty string as absent.

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `identity` of a resource with managed identities (the ARM `ManagedServiceIdentity` shape shared by
/// Microsoft.Web, Microsoft.App, Microsoft.ContainerInstance and Microsoft.ContainerRegistry).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ManagedServiceIdentity {
    /// `SystemAssigned`, `UserAssigned`, `SystemAssigned, UserAssigned` (Container Apps spell it without the
    /// space) or `None`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Object id of the system-assigned identity.
    pub principal_id: Option<String>,
    /// Tenant of the system-assigned identity.
    pub tenant_id: Option<String>,
    /// User-assigned identities by resource id (ARM does not keep one case: `resourceGroups` or
    /// `resourcegroups`).
    pub user_assigned_identities: BTreeMap<String, UserAssignedIdentity>,
}

/// One entry of `identity.userAssignedIdentities`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct UserAssignedIdentity {
    /// Object id.
    pub principal_id: Option<String>,
    /// Application (client) id: what App Service's `acrUserManagedIdentityID` names.
    pub client_id: Option<String>,
}

/// An App Service app or Functions app (`Microsoft.Web/sites`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Site {
    /// ARM id.
    pub id: String,
    /// Site name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// e.g. `app`, `app,linux,container`, `functionapp,linux`.
    #[serde(default)]
    pub kind: Option<String>,
    /// Managed identities.
    #[serde(default)]
    pub identity: Option<ManagedServiceIdentity>,
    /// Site properties.
    #[serde(default)]
    pub properties: SiteProperties,
}

/// `properties` of a site.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SiteProperties {
    /// Subnet of regional VNet integration (spec model; not in the published examples).
    pub virtual_network_subnet_id: Option<String>,
    /// Which outbound traffic goes through the integration VNet (`imagePullTraffic` pulls images over it).
    pub outbound_vnet_routing: Option<OutboundVnetRouting>,
    /// Legacy flag for image pull over the VNet, still honoured (spec model).
    pub vnet_image_pull_enabled: Option<bool>,
    /// Comma-separated current outbound addresses (empty on Premium V4).
    pub outbound_ip_addresses: Option<String>,
    /// Comma-separated addresses the site may use after a scale change.
    pub possible_outbound_ip_addresses: Option<String>,
    /// The App Service plan.
    pub server_farm_id: Option<String>,
    /// Site configuration as the list returns it (mostly empty there: `config/web` is read for container sites).
    pub site_config: Option<SiteConfig>,
}

/// `outboundVnetRouting`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct OutboundVnetRouting {
    /// All outbound traffic, configuration traffic such as image pulls included.
    pub all_traffic: Option<bool>,
    /// Application traffic only.
    pub application_traffic: Option<bool>,
    /// Container image pulls ("previously called VnetImagePullEnabled").
    pub image_pull_traffic: Option<bool>,
}

/// The site configuration fields that decide how a container site pulls.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct SiteConfig {
    /// `DOCKER|<image>` on a Linux container site.
    pub linux_fx_version: Option<String>,
    /// `DOCKER|<image>` on a Windows container site.
    pub windows_fx_version: Option<String>,
    /// Pull with a managed identity.
    pub acr_use_managed_identity_creds: Option<bool>,
    /// The user-assigned identity's **client id** to pull with (empty: the system-assigned identity).
    #[serde(rename = "acrUserManagedIdentityID")]
    pub acr_user_managed_identity_id: Option<String>,
    /// Legacy "route all traffic through the VNet".
    pub vnet_route_all_enabled: Option<bool>,
}

/// `GET {site}/config/web`: the site configuration resource.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SiteConfigResource {
    /// `{site}/config/web`.
    pub id: String,
    /// `web`.
    #[serde(default)]
    pub name: String,
    /// The configuration.
    #[serde(default)]
    pub properties: SiteConfig,
}

/// A container app (`Microsoft.App/containerApps`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContainerApp {
    /// ARM id.
    pub id: String,
    /// App name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Managed identities.
    #[serde(default)]
    pub identity: Option<ManagedServiceIdentity>,
    /// App properties.
    #[serde(default)]
    pub properties: ContainerAppProperties,
}

/// `properties` of a container app.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerAppProperties {
    /// The managed environment it runs in.
    pub managed_environment_id: Option<String>,
    /// The environment (newer spelling; same meaning).
    pub environment_id: Option<String>,
    /// Registries and secrets.
    pub configuration: Option<ContainerAppConfiguration>,
    /// Containers.
    pub template: Option<ContainerAppTemplate>,
    /// Outbound public addresses of the app (spec model; not in the published examples).
    pub outbound_ip_addresses: Vec<String>,
}

/// `properties.configuration`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerAppConfiguration {
    /// How the app signs in to each private registry (spec model `RegistryCredentials`).
    pub registries: Vec<ContainerAppRegistry>,
}

/// One `configuration.registries` entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerAppRegistry {
    /// Login server.
    pub server: Option<String>,
    /// `system`, or a user-assigned identity's resource id.
    pub identity: Option<String>,
    /// User name, with `passwordSecretRef`.
    pub username: Option<String>,
    /// Name of the secret holding the password (never the password).
    pub password_secret_ref: Option<String>,
}

/// `properties.template`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerAppTemplate {
    /// App containers.
    pub containers: Vec<ContainerImage>,
    /// Init containers.
    pub init_containers: Vec<ContainerImage>,
}

/// A container and its image.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct ContainerImage {
    /// Container name.
    pub name: Option<String>,
    /// Image reference.
    pub image: Option<String>,
}

/// A Container Apps environment (`Microsoft.App/managedEnvironments`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ManagedEnvironment {
    /// ARM id.
    pub id: String,
    /// Environment name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Environment properties.
    #[serde(default)]
    pub properties: ManagedEnvironmentProperties,
}

/// `properties` of a managed environment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ManagedEnvironmentProperties {
    /// The VNet the environment is injected into, when it is.
    pub vnet_configuration: Option<EnvironmentVnetConfiguration>,
    /// The environment's inbound address (not its egress).
    pub static_ip: Option<String>,
}

/// `vnetConfiguration`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct EnvironmentVnetConfiguration {
    /// The infrastructure subnet: the apps' traffic leaves from it.
    pub infrastructure_subnet_id: Option<String>,
    /// Internal-only ingress (spec model).
    pub internal: Option<bool>,
}

/// A container group (`Microsoft.ContainerInstance/containerGroups`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContainerGroup {
    /// ARM id.
    pub id: String,
    /// Group name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Managed identities.
    #[serde(default)]
    pub identity: Option<ManagedServiceIdentity>,
    /// Group properties.
    #[serde(default)]
    pub properties: ContainerGroupProperties,
}

/// `properties` of a container group.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ContainerGroupProperties {
    /// Containers (each image is in its own `properties`).
    pub containers: Vec<ContainerGroupContainer>,
    /// Init containers.
    pub init_containers: Vec<ContainerGroupContainer>,
    /// How the group signs in to each private registry.
    pub image_registry_credentials: Vec<ImageRegistryCredential>,
    /// Subnets of a VNet-injected group (`[{"id", "name"}]`).
    pub subnet_ids: Vec<SubResource>,
    /// `Linux` or `Windows`.
    pub os_type: Option<String>,
}

/// A container of a group.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct ContainerGroupContainer {
    /// Container name.
    pub name: Option<String>,
    /// Container properties (the image).
    pub properties: ContainerImage,
}

/// One `imageRegistryCredentials` entry (the password is write-only and never returned).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ImageRegistryCredential {
    /// Login server.
    pub server: Option<String>,
    /// User name.
    pub username: Option<String>,
    /// The user-assigned identity's resource id (api-version 2021-07-01 and later).
    pub identity: Option<String>,
}

/// An ACR task (`Microsoft.ContainerRegistry/registries/tasks`, read at 2019-06-01-preview, the api-version
/// that has `agentPoolName`).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegistryTask {
    /// ARM id.
    pub id: String,
    /// Task name.
    #[serde(default)]
    pub name: String,
    /// Managed identities.
    #[serde(default)]
    pub identity: Option<ManagedServiceIdentity>,
    /// Task properties.
    #[serde(default)]
    pub properties: RegistryTaskProperties,
}

/// `properties` of a task.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RegistryTaskProperties {
    /// `Enabled` or `Disabled`.
    pub status: Option<String>,
    /// The dedicated agent pool the task runs on.
    pub agent_pool_name: Option<String>,
    /// The step (image names for Docker steps).
    pub step: Option<TaskStep>,
}

/// `properties.step`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct TaskStep {
    /// `Docker`, `FileTask` or `EncodedTask`.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Images a Docker step builds and pushes.
    pub image_names: Vec<String>,
}

/// An agent pool of a registry (`Microsoft.ContainerRegistry/registries/agentPools`, preview only).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentPool {
    /// ARM id.
    pub id: String,
    /// Pool name.
    #[serde(default)]
    pub name: String,
    /// Pool properties.
    #[serde(default)]
    pub properties: AgentPoolProperties,
}

/// `properties` of an agent pool.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AgentPoolProperties {
    /// Agents.
    pub count: Option<u32>,
    /// The subnet the agents run in (spec model; not in the published examples).
    pub virtual_network_subnet_resource_id: Option<String>,
}
