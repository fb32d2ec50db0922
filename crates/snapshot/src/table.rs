//! The resource-type table: every ARM type acr-audit reads, declared once.
//!
//! [`with_resource_types!`](crate::with_resource_types) holds one row per type: its snapshot key, the view
//! struct it deserializes into, the model getter name, the api-version and how the collector lists it, whether
//! `diff` compares it, and a line of documentation. Everything else is derived from the rows by handing them to
//! a callback macro:
//!
//! - here: the [`RESOURCE_TYPES`] / [`CHILD_TYPES`] constants (the collector's request plan reads them), the
//!   typed groups [`Resources`] / [`Children`] of a snapshot with their case-insensitive deserializer, and their
//!   JSON Schema (so `docs/snapshot.schema.json` and the tables in `docs/snapshot.md` are generated);
//! - in the acr-audit library: the model's vectors, indexes and getters, and `diff`'s per-type comparison.
//!
//! A declarative macro rather than a build step or a `const` table alone, because the rows must produce *types*
//! (struct fields, a `Kind` enum, getters) as well as data, and a macro does that with no generated files to
//! keep in step (the same idea as Cloud Custodian's `resource_type` declarations or ruff's `codes.rs`). Adding a
//! resource type is one row here and one view struct in `views/`.

use crate::views::*;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

/// How the collector reads a top-level resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listing {
    /// One paged list per scanned subscription: `GET /subscriptions/{s}/{path}`.
    Subscription {
        /// Path below the subscription, e.g. `providers/Microsoft.Network/virtualNetworks`.
        path: &'static str,
    },
    /// One paged list per resource group that another resource names (an AKS cluster's node resource group):
    /// `GET /subscriptions/{s}/resourceGroups/{rg}/{path}`.
    NodeResourceGroup {
        /// Path below the resource group.
        path: &'static str,
    },
    /// Read by id (`GET {id}`) when another resource references it, e.g. role definitions named by assignments.
    Referenced,
    /// The registration state of a resource provider namespace in every subscription in play:
    /// `GET /subscriptions/{s}/providers/{namespace}`.
    ProviderRegistration {
        /// The namespace, e.g. `Microsoft.ContainerRegistry`.
        namespace: &'static str,
    },
}

impl Listing {
    /// The ARM request, as documentation shows it.
    pub fn request(&self) -> String {
        match self {
            Listing::Subscription { path } => format!("GET /subscriptions/{{s}}/{path}"),
            Listing::NodeResourceGroup { path } => format!("GET /subscriptions/{{s}}/resourceGroups/{{nodeRG}}/{path}"),
            Listing::Referenced => "GET {id} (each id another resource references)".to_string(),
            Listing::ProviderRegistration { namespace } => format!("GET /subscriptions/{{s}}/providers/{namespace}"),
        }
    }
}

/// One top-level resource type.
#[derive(Debug, Clone, Copy)]
pub struct ResourceType {
    /// The key in the snapshot's `resources`, spelled as ARM spells the type.
    pub key: &'static str,
    /// The field of [`Resources`] (and of the model) holding it.
    pub field: &'static str,
    /// The view struct it deserializes into.
    pub view: &'static str,
    /// The api-version the collector asks for.
    pub api_version: &'static str,
    /// How the collector reads it.
    pub listing: Listing,
    /// Whether `acr-audit diff` compares it.
    pub drift: bool,
    /// What acr-audit reads it for.
    pub doc: &'static str,
}

/// One child collection type (only listed under a parent resource).
#[derive(Debug, Clone, Copy)]
pub struct ChildType {
    /// The key in the snapshot's `children`.
    pub key: &'static str,
    /// The field of [`Children`] holding it.
    pub field: &'static str,
    /// The view struct of one item.
    pub view: &'static str,
    /// The api-version the collector asks for.
    pub api_version: &'static str,
    /// The parent's resource type key.
    pub parent: &'static str,
    /// The request below the parent id: `GET {parent}/{path}`.
    pub path: &'static str,
    /// The name `diff` reports its changes under (inside the parent), when it compares it.
    pub drift: Option<&'static str>,
    /// What acr-audit reads it for.
    pub doc: &'static str,
}

/// A child collection: the list response of a child type kept with its parent's id.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChildCollection<T> {
    /// The parent resource id (registry, zone), or the scope asked for role assignments.
    pub parent_id: String,
    /// The items, as ARM returned them.
    #[serde(default = "Vec::new")]
    #[schemars(default)]
    pub value: Vec<T>,
}

/// The table itself: hands every row to `$callback`, a macro that turns rows into code.
///
/// Row grammar (both sections must keep it, the callbacks match it exactly):
/// `field: View => "ARM/type" { getter: name, api_version: "…", listing: Listing, drift: bool, doc: "…" },`
/// and for children
/// `field: View => "ARM/type/child" { getter: name, api_version: "…", parent: "ARM/type", path: "…", drift: Option<&str>, doc: "…" },`.
/// Resource rows are in the order `diff` reports changes in.
#[macro_export]
macro_rules! with_resource_types {
    ($callback:ident) => {
        $callback! {
            resources {
                registries: Registry => "Microsoft.ContainerRegistry/registries" {
                    getter: registry,
                    api_version: "2025-11-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.ContainerRegistry/registries" },
                    drift: true,
                    doc: "SKU, login server, public access, firewall rules, trusted-services bypass, data endpoints, private endpoint connections, admin user, role assignment mode",
                },
                network_security_groups: NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups" {
                    getter: network_security_group,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/networkSecurityGroups" },
                    drift: true,
                    doc: "security rules and default rules on the path",
                },
                route_tables: RouteTable => "Microsoft.Network/routeTables" {
                    getter: route_table,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/routeTables" },
                    drift: true,
                    doc: "user routes of client subnets",
                },
                virtual_networks: VirtualNetwork => "Microsoft.Network/virtualNetworks" {
                    getter: virtual_network,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/virtualNetworks" },
                    drift: true,
                    doc: "address spaces, DNS servers, subnets and peerings (embedded); peered VNets outside the scan are also read by id",
                },
                private_endpoints: PrivateEndpoint => "Microsoft.Network/privateEndpoints" {
                    getter: private_endpoint,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/privateEndpoints" },
                    drift: true,
                    doc: "private endpoints: subnet, NICs, connection state, DNS configuration",
                },
                network_interfaces: NetworkInterface => "Microsoft.Network/networkInterfaces" {
                    getter: network_interface,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/networkInterfaces" },
                    drift: true,
                    doc: "private endpoint and client NICs: addresses, NSG, application security groups, served FQDNs",
                },
                private_dns_zones: PrivateDnsZone => "Microsoft.Network/privateDnsZones" {
                    getter: private_dns_zone,
                    api_version: "2024-06-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/privateDnsZones" },
                    drift: true,
                    doc: "`privatelink.azurecr.*` zones (links and A records are children); zones a private endpoint's DNS zone group names outside the scan are also read by id",
                },
                public_ip_addresses: PublicIpAddress => "Microsoft.Network/publicIPAddresses" {
                    getter: public_ip_address,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/publicIPAddresses" },
                    drift: true,
                    doc: "egress addresses of load balancers and NAT gateways",
                },
                nat_gateways: NatGateway => "Microsoft.Network/natGateways" {
                    getter: nat_gateway,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/natGateways" },
                    drift: true,
                    doc: "NAT gateways of client subnets and their public IPs and prefixes",
                },
                public_ip_prefixes: PublicIpPrefix => "Microsoft.Network/publicIPPrefixes" {
                    getter: public_ip_prefix,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/publicIPPrefixes" },
                    drift: true,
                    doc: "egress ranges: public IP prefixes of NAT gateways and of node public IPs",
                },
                azure_firewalls: AzureFirewall => "Microsoft.Network/azureFirewalls" {
                    getter: azure_firewall,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/azureFirewalls" },
                    drift: true,
                    doc: "hub firewalls a route's next hop or a VNet's DNS server points to: private and public addresses, classic rule collections, policy, DNS proxy; read by id in other subscriptions",
                },
                firewall_policies: FirewallPolicy => "Microsoft.Network/firewallPolicies" {
                    getter: firewall_policy,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/firewallPolicies" },
                    drift: true,
                    doc: "firewall policies and their base policies (rule collection groups are children), DNS proxy and TLS inspection settings; read by id in other subscriptions",
                },
                ip_groups: IpGroup => "Microsoft.Network/ipGroups" {
                    getter: ip_group,
                    api_version: "2024-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/ipGroups" },
                    drift: true,
                    doc: "addresses of the IP groups firewall rules name; read by id in other subscriptions",
                },
                dns_resolvers: DnsResolver => "Microsoft.Network/dnsResolvers" {
                    getter: dns_resolver,
                    api_version: "2022-07-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/dnsResolvers" },
                    drift: true,
                    doc: "Private DNS Resolvers a VNet's DNS servers point to: the VNet they resolve from (endpoints are children)",
                },
                dns_forwarding_rulesets: DnsForwardingRuleset => "Microsoft.Network/dnsForwardingRulesets" {
                    getter: dns_forwarding_ruleset,
                    api_version: "2022-07-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Network/dnsForwardingRulesets" },
                    drift: true,
                    doc: "forwarding rulesets of resolvers (rules and VNet links are children)",
                },
                web_sites: Site => "Microsoft.Web/sites" {
                    getter: web_site,
                    api_version: "2025-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.Web/sites" },
                    drift: true,
                    doc: "App Service and Functions apps: identities, VNet integration and image pull routing, outbound addresses (`config/web` is a child)",
                },
                container_apps: ContainerApp => "Microsoft.App/containerApps" {
                    getter: container_app,
                    api_version: "2026-01-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.App/containerApps" },
                    drift: true,
                    doc: "container apps: identities, registry sign-in entries, images, environment",
                },
                managed_environments: ManagedEnvironment => "Microsoft.App/managedEnvironments" {
                    getter: managed_environment,
                    api_version: "2026-01-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.App/managedEnvironments" },
                    drift: true,
                    doc: "Container Apps environments: the infrastructure subnet apps pull from",
                },
                container_groups: ContainerGroup => "Microsoft.ContainerInstance/containerGroups" {
                    getter: container_group,
                    api_version: "2026-05-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.ContainerInstance/containerGroups" },
                    drift: true,
                    doc: "container instances: identities, registry credentials, images, subnets",
                },
                managed_clusters: ManagedCluster => "Microsoft.ContainerService/managedClusters" {
                    getter: managed_cluster,
                    api_version: "2024-09-01",
                    listing: $crate::Listing::Subscription { path: "providers/Microsoft.ContainerService/managedClusters" },
                    drift: true,
                    doc: "AKS clusters: kubelet identity, node subnets, outbound type and IPs",
                },
                virtual_machine_scale_sets: VirtualMachineScaleSet => "Microsoft.Compute/virtualMachineScaleSets" {
                    getter: virtual_machine_scale_set,
                    api_version: "2024-07-01",
                    listing: $crate::Listing::NodeResourceGroup { path: "providers/Microsoft.Compute/virtualMachineScaleSets" },
                    drift: true,
                    doc: "node pools: which identities are assigned to the nodes, their subnets and public IP configuration",
                },
                virtual_machines: VirtualMachine => "Microsoft.Compute/virtualMachines" {
                    getter: virtual_machine,
                    api_version: "2024-07-01",
                    listing: $crate::Listing::NodeResourceGroup { path: "providers/Microsoft.Compute/virtualMachines" },
                    drift: true,
                    doc: "nodes of `VirtualMachines` node pools and node auto-provisioning: identities and NICs",
                },
                role_definitions: RoleDefinition => "Microsoft.Authorization/roleDefinitions" {
                    getter: role_definition,
                    api_version: "2022-04-01",
                    listing: $crate::Listing::Referenced,
                    drift: true,
                    doc: "the permissions of every role a registry's assignments name",
                },
                providers: Provider => "Microsoft.Resources/providers" {
                    getter: provider,
                    api_version: "2021-04-01",
                    listing: $crate::Listing::ProviderRegistration { namespace: "Microsoft.ContainerRegistry" },
                    drift: false,
                    doc: "registration state of `Microsoft.ContainerRegistry` in each subscription in play (a registration, not a resource: not counted)",
                },
            }
            children {
                replications: Replication => "Microsoft.ContainerRegistry/registries/replications" {
                    getter: replications,
                    api_version: "2023-07-01",
                    parent: "Microsoft.ContainerRegistry/registries",
                    path: "replications",
                    drift: None,
                    doc: "replica regions (Premium registries only), each with its own data endpoint",
                },
                usages: RegistryUsage => "Microsoft.ContainerRegistry/registries/usages" {
                    getter: usages,
                    api_version: "2023-07-01",
                    parent: "Microsoft.ContainerRegistry/registries",
                    path: "listUsages",
                    drift: None,
                    doc: "storage used against the limit (items have no id)",
                },
                a_record_sets: ARecordSet => "Microsoft.Network/privateDnsZones/A" {
                    getter: zone_a_records,
                    api_version: "2024-06-01",
                    parent: "Microsoft.Network/privateDnsZones",
                    path: "A",
                    drift: Some("A"),
                    doc: "A records of `privatelink.azurecr.*` zones",
                },
                virtual_network_links: VirtualNetworkLink => "Microsoft.Network/privateDnsZones/virtualNetworkLinks" {
                    getter: zone_links,
                    api_version: "2024-06-01",
                    parent: "Microsoft.Network/privateDnsZones",
                    path: "virtualNetworkLinks",
                    drift: Some("virtualNetworkLinks"),
                    doc: "which VNets resolve through each `privatelink.azurecr.*` zone",
                },
                private_dns_zone_groups: PrivateDnsZoneGroup => "Microsoft.Network/privateEndpoints/privateDnsZoneGroups" {
                    getter: private_dns_zone_groups,
                    api_version: "2024-05-01",
                    parent: "Microsoft.Network/privateEndpoints",
                    path: "privateDnsZoneGroups",
                    drift: None,
                    doc: "the zones each registry private endpoint registers its records in, read even outside the scanned subscriptions",
                },
                rule_collection_groups: RuleCollectionGroup => "Microsoft.Network/firewallPolicies/ruleCollectionGroups" {
                    getter: rule_collection_groups,
                    api_version: "2024-05-01",
                    parent: "Microsoft.Network/firewallPolicies",
                    path: "ruleCollectionGroups",
                    drift: Some("ruleCollectionGroups"),
                    doc: "the rule collections of each firewall policy, in the order the firewall meets them",
                },
                inbound_endpoints: InboundEndpoint => "Microsoft.Network/dnsResolvers/inboundEndpoints" {
                    getter: inbound_endpoints,
                    api_version: "2022-07-01",
                    parent: "Microsoft.Network/dnsResolvers",
                    path: "inboundEndpoints",
                    drift: None,
                    doc: "the addresses a resolver answers on, which VNets name as DNS servers",
                },
                outbound_endpoints: OutboundEndpoint => "Microsoft.Network/dnsResolvers/outboundEndpoints" {
                    getter: outbound_endpoints,
                    api_version: "2022-07-01",
                    parent: "Microsoft.Network/dnsResolvers",
                    path: "outboundEndpoints",
                    drift: None,
                    doc: "the subnets forwarded queries leave a resolver from",
                },
                forwarding_rules: ForwardingRule => "Microsoft.Network/dnsForwardingRulesets/forwardingRules" {
                    getter: forwarding_rules,
                    api_version: "2022-07-01",
                    parent: "Microsoft.Network/dnsForwardingRulesets",
                    path: "forwardingRules",
                    drift: Some("forwardingRules"),
                    doc: "domains a ruleset forwards and where to",
                },
                ruleset_links: RulesetVirtualNetworkLink => "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks" {
                    getter: ruleset_links,
                    api_version: "2022-07-01",
                    parent: "Microsoft.Network/dnsForwardingRulesets",
                    path: "virtualNetworkLinks",
                    drift: Some("virtualNetworkLinks"),
                    doc: "which VNets' queries a ruleset applies to",
                },
                site_configs: SiteConfigResource => "Microsoft.Web/sites/config" {
                    getter: site_configs,
                    api_version: "2025-05-01",
                    parent: "Microsoft.Web/sites",
                    path: "config/web",
                    drift: Some("config/web"),
                    doc: "the container image and registry sign-in of each container site (one object, kept as a one-item list)",
                },
                registry_tasks: RegistryTask => "Microsoft.ContainerRegistry/registries/tasks" {
                    getter: registry_tasks,
                    api_version: "2019-06-01-preview",
                    parent: "Microsoft.ContainerRegistry/registries",
                    path: "tasks",
                    drift: Some("tasks"),
                    doc: "ACR tasks: identity, agent pool, image names (a preview api-version: the stable one has no `agentPoolName`)",
                },
                agent_pools: AgentPool => "Microsoft.ContainerRegistry/registries/agentPools" {
                    getter: agent_pools,
                    api_version: "2019-06-01-preview",
                    parent: "Microsoft.ContainerRegistry/registries",
                    path: "agentPools",
                    drift: Some("agentPools"),
                    doc: "dedicated task agent pools of Premium registries and the subnet they run in (preview only)",
                },
                role_assignments: RoleAssignment => "Microsoft.Authorization/roleAssignments" {
                    getter: role_assignments,
                    api_version: "2022-04-01",
                    parent: "Microsoft.ContainerRegistry/registries",
                    path: "providers/Microsoft.Authorization/roleAssignments?$filter=atScope()",
                    drift: Some("roleAssignments"),
                    doc: "assignments at each registry, including those inherited from above (the parent is the scope asked)",
                },
            }
        }
    };
}

/// Turns the rows into the type constants, the typed groups and their JSON Schema.
macro_rules! define_format_types {
    (
        resources { $(
            $field:ident : $view:ident => $key:literal {
                getter: $getter:ident, api_version: $api:literal, listing: $listing:expr, drift: $drift:expr, doc: $doc:literal $(,)?
            }
        ),* $(,)? }
        children { $(
            $cfield:ident : $cview:ident => $ckey:literal {
                getter: $cgetter:ident, api_version: $capi:literal, parent: $parent:literal, path: $path:literal,
                drift: $cdrift:expr, doc: $cdoc:literal $(,)?
            }
        ),* $(,)? }
    ) => {
        /// Every top-level resource type by field name, so code that needs one type names it and the compiler
        /// checks it (`TYPES.registries.api_version`).
        #[derive(Debug, Clone, Copy)]
        pub struct ResourceTypeTable {
            $(#[doc = concat!("`", $key, "`.")] pub $field: ResourceType,)*
        }

        /// Every child collection type by field name.
        #[derive(Debug, Clone, Copy)]
        pub struct ChildTypeTable {
            $(#[doc = concat!("`", $ckey, "`.")] pub $cfield: ChildType,)*
        }

        /// The resource types, by name.
        pub const TYPES: ResourceTypeTable = ResourceTypeTable { $(
            $field: ResourceType {
                key: $key,
                field: stringify!($field),
                view: stringify!($view),
                api_version: $api,
                listing: $listing,
                drift: $drift,
                doc: $doc,
            },
        )* };

        /// The child collection types, by name.
        pub const CHILDREN: ChildTypeTable = ChildTypeTable { $(
            $cfield: ChildType {
                key: $ckey,
                field: stringify!($cfield),
                view: stringify!($cview),
                api_version: $capi,
                parent: $parent,
                path: $path,
                drift: $cdrift,
                doc: $cdoc,
            },
        )* };

        /// Every top-level resource type, in table order.
        pub const RESOURCE_TYPES: &[ResourceType] = &[$(TYPES.$field,)*];

        /// Every child collection type, in table order.
        pub const CHILD_TYPES: &[ChildType] = &[$(CHILDREN.$cfield,)*];

        /// ARM resources grouped by type, as list calls return them (one field per row of the table).
        #[derive(Debug, Default)]
        pub struct Resources {
            $(#[doc = $doc] pub $field: Vec<$view>,)*
            /// Types present in the file that this build does not model (skipped).
            pub unknown_types: Vec<String>,
        }

        /// Child collections grouped by child type; each entry names its parent.
        #[derive(Debug, Default)]
        pub struct Children {
            $(#[doc = $cdoc] pub $cfield: Vec<ChildCollection<$cview>>,)*
            /// Types present in the file that this build does not model (skipped).
            pub unknown_types: Vec<String>,
        }

        impl<'de> Deserialize<'de> for Resources {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct GroupVisitor;
                impl<'de> Visitor<'de> for GroupVisitor {
                    type Value = Resources;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an object keyed by ARM resource type")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Resources, A::Error> {
                        let mut out = Resources::default();
                        while let Some(key) = map.next_key::<String>()? {
                            $(
                                if key.eq_ignore_ascii_case($key) {
                                    out.$field.extend(map.next_value::<Vec<$view>>()?);
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

        impl<'de> Deserialize<'de> for Children {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct GroupVisitor;
                impl<'de> Visitor<'de> for GroupVisitor {
                    type Value = Children;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("an object keyed by ARM child type")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Children, A::Error> {
                        let mut out = Children::default();
                        while let Some(key) = map.next_key::<String>()? {
                            $(
                                if key.eq_ignore_ascii_case($ckey) {
                                    out.$cfield.extend(map.next_value::<Vec<ChildCollection<$cview>>>()?);
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

        impl JsonSchema for Resources {
            fn schema_name() -> Cow<'static, str> {
                "Resources".into()
            }
            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                let mut properties = serde_json::Map::new();
                $(
                    properties.insert($key.to_string(), generator.subschema_for::<Vec<$view>>().to_value());
                )*
                json_schema!({
                    "description": "Keys are ARM resource types (case-insensitive); values are the `value` arrays of ARM list responses. Unknown types are ignored.",
                    "type": "object",
                    "properties": properties,
                })
            }
        }

        impl JsonSchema for Children {
            fn schema_name() -> Cow<'static, str> {
                "Children".into()
            }
            fn json_schema(generator: &mut SchemaGenerator) -> Schema {
                let mut properties = serde_json::Map::new();
                $(
                    properties.insert($ckey.to_string(), generator.subschema_for::<Vec<ChildCollection<$cview>>>().to_value());
                )*
                json_schema!({
                    "description": "Keys are ARM child types (case-insensitive); each entry is one list response kept with its parent's id.",
                    "type": "object",
                    "properties": properties,
                })
            }
        }
    };
}

with_resource_types!(define_format_types);

/// A resource type by snapshot key (case-insensitive).
pub fn resource_type(key: &str) -> Option<&'static ResourceType> {
    RESOURCE_TYPES.iter().find(|t| t.key.eq_ignore_ascii_case(key))
}

/// A child type by snapshot key (case-insensitive).
pub fn child_type(key: &str) -> Option<&'static ChildType> {
    CHILD_TYPES.iter().find(|t| t.key.eq_ignore_ascii_case(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_fields_are_unique_and_children_name_a_listed_parent() {
        let mut keys: Vec<String> = RESOURCE_TYPES.iter().map(|t| t.key.to_ascii_lowercase()).collect();
        keys.extend(CHILD_TYPES.iter().map(|t| t.key.to_ascii_lowercase()));
        let total = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), total, "a type key is declared twice");
        for child in CHILD_TYPES {
            assert!(resource_type(child.parent).is_some(), "{} names unknown parent {}", child.key, child.parent);
        }
    }
}
