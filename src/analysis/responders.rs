//! Who answers at a private address: an Azure Firewall, a DNS Private Resolver inbound endpoint, or a NIC.
//!
//! A route's next hop and a VNet's DNS server are bare IP addresses; the route hop (is the appliance an Azure
//! Firewall whose rules can be evaluated?) and the DNS chain (is the server a resolver, a firewall's DNS proxy,
//! a DNS VM?) both start by asking what sits at that address. [`Responders`] is that index, built once per
//! analysis so every path looks an address up in O(1).

use super::net::ipset::IpSet;
use crate::model::{AzureFirewall, DnsResolver, InboundEndpoint, Model, NetworkInterface, VirtualNetwork};
use std::collections::HashMap;
use std::net::IpAddr;

/// What holds a private address.
#[derive(Debug, Clone, Copy)]
pub enum Responder<'m> {
    /// An Azure Firewall's data-path private address (`ipConfigurations[].privateIPAddress`, or a hub
    /// firewall's `hubIPAddresses.privateIPAddress`).
    AzureFirewall(&'m AzureFirewall),
    /// An inbound endpoint of a DNS Private Resolver.
    ResolverInbound {
        /// The resolver.
        resolver: &'m DnsResolver,
        /// The endpoint holding the address.
        endpoint: &'m InboundEndpoint,
    },
    /// A NIC (a VM: a DNS server, a network virtual appliance). Private endpoint NICs are left out: they answer
    /// no DNS and forward nothing.
    Nic(&'m NetworkInterface),
}

/// Private address → what holds it.
#[derive(Debug, Default)]
pub struct Responders<'m> {
    by_address: HashMap<IpAddr, Responder<'m>>,
}

impl<'m> Responders<'m> {
    /// Index every firewall, resolver inbound endpoint and NIC of the model. A firewall wins over a NIC with the
    /// same address (ARM shows firewalls by their own resource, not as NICs).
    pub fn new(model: &'m Model) -> Responders<'m> {
        let mut by_address: HashMap<IpAddr, Responder<'m>> = HashMap::new();
        for nic in model.network_interfaces.iter().filter(|n| n.properties.private_endpoint.is_none()) {
            for c in &nic.properties.ip_configurations {
                if let Some(ip) = c.properties.private_ip_address.as_deref().and_then(parse) {
                    by_address.entry(ip).or_insert(Responder::Nic(nic));
                }
            }
        }
        for resolver in &model.dns_resolvers {
            for endpoint in model.inbound_endpoints(&resolver.id).unwrap_or_default() {
                for c in &endpoint.properties.ip_configurations {
                    if let Some(ip) = c.private_ip_address.as_deref().and_then(parse) {
                        by_address.insert(ip, Responder::ResolverInbound { resolver, endpoint });
                    }
                }
            }
        }
        for firewall in &model.azure_firewalls {
            for ip in firewall_private_addresses(firewall) {
                by_address.insert(ip, Responder::AzureFirewall(firewall));
            }
        }
        Responders { by_address }
    }

    /// What holds `address` (textual IPv4 or IPv6), if the snapshot shows it.
    pub fn at(&self, address: &str) -> Option<Responder<'m>> {
        self.by_address.get(&parse(address)?).copied()
    }
}

/// A firewall's data-path private addresses: those of its IP configurations (not the management one) and a
/// Virtual WAN hub firewall's private address.
pub fn firewall_private_addresses(firewall: &AzureFirewall) -> Vec<IpAddr> {
    let p = &firewall.properties;
    p.ip_configurations
        .iter()
        .filter_map(|c| c.properties.private_ip_address.as_deref())
        .chain(p.hub_ip_addresses.as_ref().and_then(|h| h.private_ip_address.as_deref()))
        .filter_map(parse)
        .collect()
}

/// Whether one of `prefixes` (CIDR text, as ARM writes address spaces and subnet prefixes) holds `ip`.
pub fn prefixes_hold<'a>(prefixes: impl IntoIterator<Item = &'a String>, ip: IpAddr) -> bool {
    prefixes.into_iter().filter_map(|p| IpSet::parse_prefix(p)).any(|set| set.contains_ip(ip))
}

/// The VNet whose address space holds `ip`: where an address that no responder holds would live (a route's
/// next hop, a DNS server).
pub fn vnet_holding(model: &Model, ip: IpAddr) -> Option<&VirtualNetwork> {
    model.virtual_networks.iter().find(|v| prefixes_hold(&v.properties.address_space.address_prefixes, ip))
}

fn parse(text: &str) -> Option<IpAddr> {
    text.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::parse_snapshot;
    use serde_json::json;

    fn model(resources: serde_json::Value, children: serde_json::Value) -> Model {
        let doc = json!({"schema": "acr-audit/snapshot/v1", "resources": resources, "children": children});
        let bytes = serde_json::to_vec(&doc).unwrap();
        Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("t.json")).expect("snapshot"))
    }

    /// Addresses of the shapes in `AzureFirewallGet.json` (network 2024-05-01), `InboundEndpoint_Get.json`
    /// (dnsresolver 2022-07-01) and a VM NIC; a private endpoint NIC is not a responder.
    #[test]
    fn finds_firewalls_resolver_endpoints_and_nics_by_address() {
        let fw = "/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.Network/azureFirewalls/azurefirewall";
        let resolver = "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/dnsResolvers/sampleDnsResolver";
        let m = model(
            json!({
                "Microsoft.Network/azureFirewalls": [{"id": fw, "name": "azurefirewall", "properties": {
                    "ipConfigurations": [{"name": "c", "properties": {"privateIPAddress": "10.0.0.4"}}],
                    "managementIpConfiguration": {"name": "m", "properties": {"privateIPAddress": "10.0.1.4"}}}}],
                "Microsoft.Network/dnsResolvers": [{"id": resolver, "name": "sampleDnsResolver", "properties": {}}],
                "Microsoft.Network/networkInterfaces": [
                    {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/dns1",
                     "properties": {"ipConfigurations": [{"name": "i", "properties": {"privateIPAddress": "10.1.0.4"}}]}},
                    {"id": "/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkInterfaces/pe",
                     "properties": {"privateEndpoint": {"id": "/x"},
                        "ipConfigurations": [{"name": "i", "properties": {"privateIPAddress": "10.1.0.5"}}]}}
                ]
            }),
            json!({"Microsoft.Network/dnsResolvers/inboundEndpoints": [{"parentId": resolver, "value": [
                {"id": format!("{resolver}/inboundEndpoints/in"), "name": "in", "properties": {"ipConfigurations": [
                    {"subnet": {"id": "/s"}, "privateIpAddress": "10.2.0.4", "privateIpAllocationMethod": "Static"}]}}
            ]}]}),
        );
        let r = Responders::new(&m);
        assert!(matches!(r.at("10.0.0.4"), Some(Responder::AzureFirewall(f)) if f.name == "azurefirewall"));
        assert!(r.at("10.0.1.4").is_none(), "the management address is not on the data path");
        assert!(matches!(r.at("10.2.0.4"), Some(Responder::ResolverInbound { endpoint, .. }) if endpoint.name == "in"));
        assert!(matches!(r.at("10.1.0.4"), Some(Responder::Nic(n)) if n.id.ends_with("/dns1")));
        assert!(r.at("10.1.0.5").is_none(), "a private endpoint answers no DNS");
        assert!(r.at("not an address").is_none());
    }
}
