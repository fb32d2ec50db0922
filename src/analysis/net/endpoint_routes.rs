//! The private endpoint host routes one VNet's subnets see: Azure adds a /32 (IPv4) or /128 (IPv6) route with
//! next hop `InterfaceEndpoint` for each private endpoint address to the endpoint's own VNet and to the VNets
//! directly peered with it. Each comes with the endpoint subnet's `privateEndpointNetworkPolicies`, which
//! decides whether a user route may invalidate it
//! (<https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy>).

use super::routes::{EndpointRoutePolicy, InterfaceEndpointRoute};
use crate::analysis::facts::PeeringState;
use crate::model::{id_key, vnet_key_of_subnet, Model, PrivateEndpoint, VirtualNetwork};
use ipnet::IpNet;
use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

/// The snapshot's private endpoints grouped by their subnet's VNet (lower-cased id), each with its position in
/// the snapshot. Built once per analysis, so a client VNet looks up its own and its peers' endpoints instead of
/// scanning every endpoint for every client subnet.
pub struct EndpointsByVnet<'m>(HashMap<String, Vec<(usize, &'m PrivateEndpoint)>>);

impl<'m> EndpointsByVnet<'m> {
    pub fn new(model: &'m Model) -> Self {
        let mut by_vnet: HashMap<String, Vec<(usize, &'m PrivateEndpoint)>> = HashMap::new();
        for (i, pe) in model.private_endpoints.iter().enumerate() {
            if let Some(key) = pe.properties.subnet.as_ref().and_then(|s| vnet_key_of_subnet(&s.id)) {
                by_vnet.entry(key).or_default().push((i, pe));
            }
        }
        EndpointsByVnet(by_vnet)
    }
}

/// The host routes of every private endpoint in `vnet` or in a VNet `vnet` is `Connected` to by a peering, in
/// snapshot order.
pub fn interface_endpoint_routes(
    model: &Model,
    by_vnet: &EndpointsByVnet<'_>,
    vnet: Option<&VirtualNetwork>,
) -> Vec<InterfaceEndpointRoute> {
    let Some(vnet) = vnet else { return vec![] };
    let mut vnets: HashSet<String> = HashSet::from([id_key(&vnet.id)]);
    for peering in &vnet.properties.virtual_network_peerings {
        let connected =
            peering.properties.peering_state.as_deref().map(PeeringState::parse) == Some(PeeringState::Connected);
        if let (true, Some(remote)) = (connected, &peering.properties.remote_virtual_network) {
            vnets.insert(id_key(&remote.id));
        }
    }
    let mut endpoints: Vec<(usize, &PrivateEndpoint)> =
        vnets.iter().filter_map(|k| by_vnet.0.get(k)).flatten().copied().collect();
    endpoints.sort_by_key(|(i, _)| *i);
    let mut out = Vec::new();
    for (_, pe) in endpoints {
        let Some(subnet_id) = pe.properties.subnet.as_ref().map(|s| s.id.as_str()) else { continue };
        let subnet = model.subnet(subnet_id);
        for address in addresses(model, pe) {
            let policy = match subnet {
                Some(s) => EndpointRoutePolicy::parse(
                    s.subnet.properties.private_endpoint_network_policies.as_deref(),
                    space_prefix_len(s.vnet, address),
                ),
                None => EndpointRoutePolicy::Unknown,
            };
            out.push(InterfaceEndpointRoute {
                address,
                endpoint_id: pe.id.clone(),
                endpoint_name: pe.name.clone(),
                policy,
            });
        }
    }
    out
}

/// The endpoint's private addresses: its NICs' IP configurations, or, when no NIC is in the snapshot, the
/// addresses of its `customDnsConfigs` (the same addresses, as the endpoint reports them).
fn addresses(model: &Model, pe: &PrivateEndpoint) -> Vec<IpAddr> {
    let mut out: Vec<IpAddr> = Vec::new();
    for nic in pe.properties.network_interfaces.iter().filter_map(|n| model.network_interface(&n.id)) {
        for c in &nic.properties.ip_configurations {
            if let Some(ip) = c.properties.private_ip_address.as_deref().and_then(|a| a.trim().parse().ok()) {
                out.push(ip);
            }
        }
    }
    if out.is_empty() {
        for cfg in &pe.properties.custom_dns_configs {
            out.extend(cfg.ip_addresses.iter().filter_map(|a| a.trim().parse::<IpAddr>().ok()));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The prefix length of the endpoint VNet's address space range holding `address`.
fn space_prefix_len(vnet: &VirtualNetwork, address: IpAddr) -> Option<u8> {
    vnet.properties
        .address_space
        .address_prefixes
        .iter()
        .filter_map(|p| p.trim().parse::<IpNet>().ok())
        .find(|n| n.contains(&address))
        .map(|n| n.prefix_len())
}
