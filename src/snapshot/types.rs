//! The snapshot v1 envelope and the typed groups of ARM resources it carries.

use crate::model::{
    ARecordSet, ManagedCluster, NatGateway, NetworkInterface, NetworkSecurityGroup, PrivateDnsZone, PrivateEndpoint,
    Provider, PublicIpAddress, Registry, RegistryUsage, Replication, RoleAssignment, RoleDefinition, RouteTable,
    ServiceTagsList, VirtualMachineScaleSet, VirtualNetwork, VirtualNetworkLink,
};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Every snapshot's `schema` starts with this.
pub const SCHEMA_PREFIX: &str = "acr-audit/snapshot/v";
/// The major version this build reads and writes.
pub const SCHEMA_MAJOR: u32 = 1;

/// A loaded snapshot: metadata, typed resources, child collections, service tags and collection errors.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    /// `acr-audit/snapshot/v1` (a minor, `v1.2`, is accepted).
    pub schema: String,
    /// Who collected it, when, from where.
    #[serde(default)]
    pub metadata: Metadata,
    /// ARM resources grouped by resource type.
    #[serde(default)]
    pub resources: Resources,
    /// Child collections (replications, usages, zone links, A records, role assignments) with their parent id.
    #[serde(default)]
    pub children: Children,
    /// Service Tags API responses.
    #[serde(default)]
    pub service_tags: Vec<ServiceTagsList>,
    /// What could not be read during collection.
    #[serde(default)]
    pub errors: Vec<ArmError>,
}

/// Snapshot metadata.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Metadata {
    /// The tool that wrote the snapshot.
    pub tool: ToolInfo,
    /// RFC 3339 time of collection.
    pub collected_at: Option<String>,
    /// The cloud and its ARM endpoint.
    pub cloud: CloudInfo,
    /// Subscriptions read, as `GET /subscriptions` returns them.
    pub subscriptions: Vec<SubscriptionInfo>,
    /// What the user asked to scan.
    pub scope: Scope,
}

/// `metadata.tool`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ToolInfo {
    /// `acr-audit`.
    pub name: String,
    /// Its version.
    pub version: String,
}

/// `metadata.cloud`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct CloudInfo {
    /// `AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment`.
    pub name: String,
    /// ARM endpoint used.
    pub arm_endpoint: String,
}

impl Default for CloudInfo {
    fn default() -> Self {
        Self { name: "AzureCloud".into(), arm_endpoint: "https://management.azure.com".into() }
    }
}

/// One subscription, as `GET /subscriptions` returns it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SubscriptionInfo {
    /// GUID.
    pub subscription_id: String,
    /// Name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tenant_id: Option<String>,
    /// `Enabled`, `Disabled`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
}

/// What was asked for.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Scope {
    /// Subscriptions named with `--subscription`.
    pub subscriptions: Vec<String>,
    /// `--all-subscriptions`.
    pub all_subscriptions: bool,
    /// Registries named with `--registry`.
    pub registries: Vec<String>,
}

/// A scope and resource type that could not be read.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ArmError {
    /// The ARM scope (subscription, registry id, zone id) of the failed call.
    pub scope: String,
    /// The resource type that was being read.
    pub resource_type: String,
    /// HTTP status, when there was a response.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// ARM error code (`AuthorizationFailed`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// ARM's message.
    pub message: String,
}

/// A child collection: the list response of a child type kept with its parent's id.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildCollection<T> {
    /// The parent resource id (registry, zone), or the scope for role assignments.
    pub parent_id: String,
    /// The items, as ARM returned them.
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
}

/// Declares a struct of typed groups keyed by ARM type, with a map visitor that dispatches each key to its
/// typed vector. Unknown types are skipped and recorded, so a newer collector's extra types are harmless.
macro_rules! typed_groups {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident : $ty:ty => $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: Vec<$ty>,)*
            /// Types present in the file that this build does not model (skipped).
            pub unknown_types: Vec<String>,
        }

        impl $name {
            /// The ARM resource types this group understands, spelled as ARM does.
            pub const TYPES: &'static [&'static str] = &[$($key,)*];
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct GroupVisitor;
                impl<'de> Visitor<'de> for GroupVisitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an object keyed by ARM resource type")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut out = $name::default();
                        while let Some(key) = map.next_key::<String>()? {
                            let lower = key.to_ascii_lowercase();
                            $(
                                if lower == $key.to_ascii_lowercase() {
                                    out.$field.extend(map.next_value::<Vec<$ty>>()?);
                                    continue;
                                }
                            )*
                            map.next_value::<IgnoredAny>()?;
                            out.unknown_types.push(key);
                        }
                        Ok(out)
                    }
                }
                deserializer.deserialize_map(GroupVisitor)
            }
        }
    };
}

typed_groups! {
    /// ARM resources grouped by type, as `GET` / list calls return them.
    Resources {
        /// `Microsoft.ContainerRegistry/registries`.
        registries: Registry => "Microsoft.ContainerRegistry/registries",
        /// `Microsoft.Network/privateEndpoints`.
        private_endpoints: PrivateEndpoint => "Microsoft.Network/privateEndpoints",
        /// `Microsoft.Network/networkInterfaces`.
        network_interfaces: NetworkInterface => "Microsoft.Network/networkInterfaces",
        /// `Microsoft.Network/networkSecurityGroups`.
        network_security_groups: NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups",
        /// `Microsoft.Network/routeTables`.
        route_tables: RouteTable => "Microsoft.Network/routeTables",
        /// `Microsoft.Network/virtualNetworks`.
        virtual_networks: VirtualNetwork => "Microsoft.Network/virtualNetworks",
        /// `Microsoft.Network/publicIPAddresses`.
        public_ip_addresses: PublicIpAddress => "Microsoft.Network/publicIPAddresses",
        /// `Microsoft.Network/natGateways`.
        nat_gateways: NatGateway => "Microsoft.Network/natGateways",
        /// `Microsoft.Network/privateDnsZones`.
        private_dns_zones: PrivateDnsZone => "Microsoft.Network/privateDnsZones",
        /// `Microsoft.ContainerService/managedClusters`.
        managed_clusters: ManagedCluster => "Microsoft.ContainerService/managedClusters",
        /// `Microsoft.Compute/virtualMachineScaleSets`.
        virtual_machine_scale_sets: VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets",
        /// `Microsoft.Authorization/roleDefinitions`.
        role_definitions: RoleDefinition => "Microsoft.Authorization/roleDefinitions",
        /// Resource provider registration state (`GET /subscriptions/{s}/providers/{namespace}`).
        providers: Provider => "Microsoft.Resources/providers",
    }
}

typed_groups! {
    /// Child collections grouped by child type; each entry names its parent.
    Children {
        /// `GET {registry}/replications`.
        replications: ChildCollection<Replication> => "Microsoft.ContainerRegistry/registries/replications",
        /// `GET {registry}/listUsages`.
        usages: ChildCollection<RegistryUsage> => "Microsoft.ContainerRegistry/registries/usages",
        /// `GET {zone}/virtualNetworkLinks`.
        virtual_network_links: ChildCollection<VirtualNetworkLink> => "Microsoft.Network/privateDnsZones/virtualNetworkLinks",
        /// `GET {zone}/A`.
        a_record_sets: ChildCollection<ARecordSet> => "Microsoft.Network/privateDnsZones/A",
        /// `GET {registry}/providers/Microsoft.Authorization/roleAssignments?$filter=atScope()`.
        role_assignments: ChildCollection<RoleAssignment> => "Microsoft.Authorization/roleAssignments",
    }
}
