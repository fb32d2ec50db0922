//! [`Model`]: the snapshot's typed resources plus lookup tables by lower-cased ARM id.
//!
//! The model takes ownership of the snapshot's vectors (no copy) and adds `HashMap<id, position>` indexes, so
//! lookups are O(1) and case-insensitive, as ARM ids are.

use super::common::{id_key, vnet_key_of_subnet};
use super::{
    ARecordSet, ManagedCluster, NatGateway, NetworkInterface, NetworkSecurityGroup, PrivateDnsZone, PrivateEndpoint,
    Provider, PublicIpAddress, Registry, RegistryUsage, Replication, RoleAssignment, RoleDefinition, RouteTable,
    ServiceTag, Subnet, VirtualMachineScaleSet, VirtualNetwork, VirtualNetworkLink,
};
use crate::snapshot::{ArmError, Children, Metadata, Snapshot};
use std::collections::HashMap;

/// A subnet found by id: its VNet and its position inside it.
#[derive(Debug, Clone, Copy)]
pub struct SubnetRef<'a> {
    /// The VNet holding it.
    pub vnet: &'a VirtualNetwork,
    /// The subnet.
    pub subnet: &'a Subnet,
}

/// Typed, indexed view of one snapshot.
#[derive(Debug, Default)]
pub struct Model {
    /// Snapshot metadata.
    pub metadata: Metadata,
    /// Collection errors.
    pub errors: Vec<ArmError>,
    /// Registries.
    pub registries: Vec<Registry>,
    /// Private endpoints.
    pub private_endpoints: Vec<PrivateEndpoint>,
    /// NICs.
    pub network_interfaces: Vec<NetworkInterface>,
    /// NSGs.
    pub network_security_groups: Vec<NetworkSecurityGroup>,
    /// Route tables.
    pub route_tables: Vec<RouteTable>,
    /// VNets.
    pub virtual_networks: Vec<VirtualNetwork>,
    /// Public IPs.
    pub public_ip_addresses: Vec<PublicIpAddress>,
    /// NAT gateways.
    pub nat_gateways: Vec<NatGateway>,
    /// Private DNS zones.
    pub private_dns_zones: Vec<PrivateDnsZone>,
    /// AKS clusters.
    pub managed_clusters: Vec<ManagedCluster>,
    /// Node VMSS.
    pub virtual_machine_scale_sets: Vec<VirtualMachineScaleSet>,
    /// Role definitions.
    pub role_definitions: Vec<RoleDefinition>,
    /// Provider registration states.
    pub providers: Vec<Provider>,
    /// Service tags, de-duplicated by name (several regional responses carry the same global list).
    pub service_tags: Vec<ServiceTag>,
    /// Types the snapshot carried that this build skipped.
    pub unknown_types: Vec<String>,
    replications: HashMap<String, Vec<Replication>>,
    usages: HashMap<String, Vec<RegistryUsage>>,
    zone_links: HashMap<String, Vec<VirtualNetworkLink>>,
    zone_a_records: HashMap<String, Vec<ARecordSet>>,
    role_assignments: HashMap<String, Vec<RoleAssignment>>,
    index: HashMap<String, (Kind, usize)>,
    subnet_index: HashMap<String, (usize, usize)>,
    service_tag_index: HashMap<String, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Registry,
    PrivateEndpoint,
    NetworkInterface,
    NetworkSecurityGroup,
    RouteTable,
    VirtualNetwork,
    PublicIpAddress,
    NatGateway,
    PrivateDnsZone,
    ManagedCluster,
    VirtualMachineScaleSet,
    RoleDefinition,
}

macro_rules! getter {
    ($(#[$m:meta])* $fn:ident, $field:ident, $kind:ident, $ty:ty) => {
        $(#[$m])*
        pub fn $fn(&self, id: &str) -> Option<&$ty> {
            match self.index.get(&id_key(id)) {
                Some((Kind::$kind, i)) => self.$field.get(*i),
                _ => None,
            }
        }
    };
}

impl Model {
    /// Build the model from a parsed snapshot, taking ownership of its vectors.
    pub fn from_snapshot(snapshot: Snapshot) -> Model {
        let Snapshot { metadata, resources: r, children, service_tags, errors, .. } = snapshot;
        let mut unknown_types = r.unknown_types;
        unknown_types.extend(children.unknown_types.iter().cloned());
        let mut model = Model {
            metadata,
            errors,
            registries: r.registries,
            private_endpoints: r.private_endpoints,
            network_interfaces: r.network_interfaces,
            network_security_groups: r.network_security_groups,
            route_tables: r.route_tables,
            virtual_networks: r.virtual_networks,
            public_ip_addresses: r.public_ip_addresses,
            nat_gateways: r.nat_gateways,
            private_dns_zones: r.private_dns_zones,
            managed_clusters: r.managed_clusters,
            virtual_machine_scale_sets: r.virtual_machine_scale_sets,
            role_definitions: r.role_definitions,
            providers: r.providers,
            unknown_types,
            ..Model::default()
        };
        model.take_children(children);
        model.take_service_tags(service_tags);
        model.build_index();
        model
    }

    fn take_children(&mut self, children: Children) {
        fn group<T>(collections: Vec<crate::snapshot::ChildCollection<T>>) -> HashMap<String, Vec<T>> {
            let mut out: HashMap<String, Vec<T>> = HashMap::new();
            for c in collections {
                out.entry(id_key(&c.parent_id)).or_default().extend(c.value);
            }
            out
        }
        self.replications = group(children.replications);
        self.usages = group(children.usages);
        self.zone_links = group(children.virtual_network_links);
        self.zone_a_records = group(children.a_record_sets);
        self.role_assignments = group(children.role_assignments);
    }

    fn take_service_tags(&mut self, lists: Vec<crate::model::ServiceTagsList>) {
        for list in lists {
            for tag in list.values {
                let key = tag.name.to_ascii_lowercase();
                if !self.service_tag_index.contains_key(&key) {
                    self.service_tag_index.insert(key, self.service_tags.len());
                    self.service_tags.push(tag);
                }
            }
        }
    }

    fn build_index(&mut self) {
        let mut index = HashMap::new();
        macro_rules! add {
            ($field:ident, $kind:ident) => {
                for (i, item) in self.$field.iter().enumerate() {
                    index.insert(id_key(&item.id), (Kind::$kind, i));
                }
            };
        }
        add!(registries, Registry);
        add!(private_endpoints, PrivateEndpoint);
        add!(network_interfaces, NetworkInterface);
        add!(network_security_groups, NetworkSecurityGroup);
        add!(route_tables, RouteTable);
        add!(virtual_networks, VirtualNetwork);
        add!(public_ip_addresses, PublicIpAddress);
        add!(nat_gateways, NatGateway);
        add!(private_dns_zones, PrivateDnsZone);
        add!(managed_clusters, ManagedCluster);
        add!(virtual_machine_scale_sets, VirtualMachineScaleSet);
        add!(role_definitions, RoleDefinition);
        for (v, vnet) in self.virtual_networks.iter().enumerate() {
            for (s, subnet) in vnet.properties.subnets.iter().enumerate() {
                self.subnet_index.insert(id_key(&subnet.id), (v, s));
            }
        }
        self.index = index;
    }

    /// Total number of top-level resources held.
    pub fn resource_count(&self) -> usize {
        self.index.len()
    }

    getter!(/// A registry by id.
        registry, registries, Registry, Registry);
    getter!(/// A private endpoint by id.
        private_endpoint, private_endpoints, PrivateEndpoint, PrivateEndpoint);
    getter!(/// A NIC by id.
        network_interface, network_interfaces, NetworkInterface, NetworkInterface);
    getter!(/// An NSG by id.
        network_security_group, network_security_groups, NetworkSecurityGroup, NetworkSecurityGroup);
    getter!(/// A route table by id.
        route_table, route_tables, RouteTable, RouteTable);
    getter!(/// A VNet by id.
        virtual_network, virtual_networks, VirtualNetwork, VirtualNetwork);
    getter!(/// A public IP by id.
        public_ip_address, public_ip_addresses, PublicIpAddress, PublicIpAddress);
    getter!(/// A NAT gateway by id.
        nat_gateway, nat_gateways, NatGateway, NatGateway);
    getter!(/// A private DNS zone by id.
        private_dns_zone, private_dns_zones, PrivateDnsZone, PrivateDnsZone);
    getter!(/// An AKS cluster by id.
        managed_cluster, managed_clusters, ManagedCluster, ManagedCluster);
    getter!(/// A VMSS by id.
        virtual_machine_scale_set, virtual_machine_scale_sets, VirtualMachineScaleSet, VirtualMachineScaleSet);
    getter!(/// A role definition by id.
        role_definition, role_definitions, RoleDefinition, RoleDefinition);

    /// A subnet by id, with its VNet.
    pub fn subnet(&self, id: &str) -> Option<SubnetRef<'_>> {
        let (v, s) = *self.subnet_index.get(&id_key(id))?;
        let vnet = &self.virtual_networks[v];
        Some(SubnetRef { vnet, subnet: &vnet.properties.subnets[s] })
    }

    /// The VNet of a subnet id, whether or not the subnet itself is listed.
    pub fn vnet_of_subnet(&self, subnet_id: &str) -> Option<&VirtualNetwork> {
        self.virtual_network(&vnet_key_of_subnet(subnet_id)?)
    }

    /// Replications of a registry.
    pub fn replications(&self, registry_id: &str) -> &[Replication] {
        self.replications.get(&id_key(registry_id)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// `listUsages` of a registry.
    pub fn usages(&self, registry_id: &str) -> &[RegistryUsage] {
        self.usages.get(&id_key(registry_id)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Virtual network links of a zone.
    pub fn zone_links(&self, zone_id: &str) -> &[VirtualNetworkLink] {
        self.zone_links.get(&id_key(zone_id)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// A record sets of a zone.
    pub fn zone_a_records(&self, zone_id: &str) -> &[ARecordSet] {
        self.zone_a_records.get(&id_key(zone_id)).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Role assignments read at a scope (the registry id): they include those inherited from above.
    pub fn role_assignments(&self, scope: &str) -> Option<&[RoleAssignment]> {
        self.role_assignments.get(&id_key(scope)).map(Vec::as_slice)
    }

    /// A service tag by name (case-insensitive).
    pub fn service_tag(&self, name: &str) -> Option<&ServiceTag> {
        self.service_tag_index.get(&name.to_ascii_lowercase()).map(|&i| &self.service_tags[i])
    }

    /// Collection errors whose scope covers `id` (the error's scope is a prefix of the id) and whose resource
    /// type matches `resource_type` (case-insensitive). Rules use this to stay silent on unread data.
    pub fn unread(&self, id: &str, resource_type: &str) -> bool {
        let key = id_key(id);
        self.errors
            .iter()
            .any(|e| e.resource_type.eq_ignore_ascii_case(resource_type) && key.starts_with(&id_key(&e.scope)))
    }
}
