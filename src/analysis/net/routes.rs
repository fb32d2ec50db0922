//! Effective routes of a subnet and longest-prefix matching over them, for single addresses and for whole
//! address sets (a service tag is thousands of prefixes that may leave by different next hops).
//!
//! System routes: the VNet's address space -> `VnetLocal`; each `Connected` peering's remote space ->
//! `VNetPeering`; `0.0.0.0/0` -> `Internet`; the private ranges 10/8, 172.16/12, 192.168/16 and 100.64/10 ->
//! `None`, unless a user route for `0.0.0.0/0` removes them. User routes from the subnet's route table override them; on an equal prefix a user route wins, and
//! an explicit user prefix wins over one expanded from a service tag (Azure's documented precedence,
//! <https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#how-azure-selects-a-route>).
//! BGP routes are not visible in ARM and are not modelled.
//!
//! Private endpoints: each private endpoint address in the subnet's VNet or a directly peered (`Connected`)
//! VNet adds a host route (/32, /128 for IPv6) with next hop `InterfaceEndpoint` ([`InterfaceEndpointRoute`]).
//! By longest-prefix match it beats every broader user route, unless the endpoint subnet's
//! `privateEndpointNetworkPolicies` enables route tables (`RouteTableEnabled` or `Enabled`): then a user route
//! whose prefix length is equal to or larger than the length of the endpoint VNet's address space invalidates
//! the host route (a `0.0.0.0/0` user route never does). "Manage network policies for private endpoints",
//! <https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy>. A user route on the
//! very host prefix overrides it as any equal-prefix user route overrides a system route ("Deploy individual
//! routes with /32 prefix to override private endpoint routes", <https://learn.microsoft.com/azure/private-link/private-endpoint-overview#limitations>).
//!
//! Routes of one address family never carry the other's addresses: the table is keyed by family-tagged
//! prefixes. Azure documents no IPv6 default system routes, so only the IPv6 address spaces of the VNet and its
//! peerings and IPv6 user routes are modelled for IPv6.

use super::ipset::IpSet;
use super::tags::{AddressResolver, VnetContext};
use crate::analysis::facts::{NextHopType, PeeringState, RouteOrigin};
use crate::model::{RouteTable, VirtualNetwork};
use ipnet::IpNet;
use prefix_trie::joint::map::JointPrefixMap;
use serde::Serialize;
use std::net::{IpAddr, Ipv4Addr};

/// One effective route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteEntry {
    /// The prefix as written (a CIDR, or the service tag for tag routes).
    pub address_prefix: String,
    /// `VnetLocal`, `VNetPeering`, `Internet`, `VirtualAppliance`, `VirtualNetworkGateway`, `None`,
    /// `InterfaceEndpoint`.
    pub next_hop_type: NextHopType,
    /// The appliance for `VirtualAppliance`.
    pub next_hop_ip: Option<String>,
    /// System or user.
    pub origin: RouteOrigin,
    /// Route id (user routes), the private endpoint's id (its host route) or a descriptive name (system routes).
    pub id: String,
    /// Route name.
    pub name: String,
}

impl RouteEntry {
    fn rank(&self) -> u8 {
        match self.origin {
            RouteOrigin::System => 0,
            RouteOrigin::UserServiceTag => 1,
            RouteOrigin::User => 2,
        }
    }
}

/// Whether user routes may invalidate a private endpoint's host route: the endpoint subnet's
/// `privateEndpointNetworkPolicies`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointRoutePolicy {
    /// `Disabled` (the default) or `NetworkSecurityGroupEnabled`: the host route stands.
    Disabled,
    /// `RouteTableEnabled` or `Enabled`: a user route at least as long as the endpoint VNet's address space
    /// prefix (the one holding the address) invalidates it; `None` when no address space prefix holds it.
    RouteTableEnabled { vnet_prefix_len: Option<u8> },
    /// The endpoint subnet is not in the snapshot, or the value is one this build does not know.
    Unknown,
}

impl EndpointRoutePolicy {
    /// Read `privateEndpointNetworkPolicies` (absent means `Disabled`, Azure's default).
    pub fn parse(value: Option<&str>, vnet_prefix_len: Option<u8>) -> EndpointRoutePolicy {
        let v = value.unwrap_or("Disabled");
        if v.eq_ignore_ascii_case("RouteTableEnabled") || v.eq_ignore_ascii_case("Enabled") {
            EndpointRoutePolicy::RouteTableEnabled { vnet_prefix_len }
        } else if v.eq_ignore_ascii_case("Disabled") || v.eq_ignore_ascii_case("NetworkSecurityGroupEnabled") {
            EndpointRoutePolicy::Disabled
        } else {
            EndpointRoutePolicy::Unknown
        }
    }
}

/// A private endpoint address whose host route a subnet sees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceEndpointRoute {
    /// The endpoint's private address.
    pub address: IpAddr,
    /// The private endpoint's id.
    pub endpoint_id: String,
    /// Its name.
    pub endpoint_name: String,
    /// Its subnet's network policy for route tables.
    pub policy: EndpointRoutePolicy,
}

/// The effective route table of one subnet.
#[derive(Debug, Clone, Default)]
pub struct EffectiveRoutes {
    trie: JointPrefixMap<IpNet, RouteEntry>,
    /// Route prefixes whose effect could not be resolved for any destination: a service tag missing from the
    /// snapshot.
    pub unresolved: Vec<String>,
    /// User route prefixes that may invalidate a private endpoint's host route (the key) when the endpoint
    /// subnet's network policy is not known: unresolved only for destinations holding that address.
    endpoint_unresolved: Vec<(IpNet, String)>,
}

fn system(prefix: &str, hop: NextHopType, name: &str) -> RouteEntry {
    RouteEntry {
        address_prefix: prefix.to_string(),
        next_hop_type: hop,
        next_hop_ip: None,
        origin: RouteOrigin::System,
        id: format!("system:{name}"),
        name: name.to_string(),
    }
}

fn parse_net(text: &str) -> Option<IpNet> {
    text.trim().parse::<IpNet>().ok().map(|n| n.trunc())
}

impl EffectiveRoutes {
    /// Build the effective routes of a subnet in `vnet`, with its route table (if any) and the private
    /// endpoint host routes it sees.
    pub fn build(
        vnet: Option<&VirtualNetwork>,
        route_table: Option<&RouteTable>,
        endpoints: &[InterfaceEndpointRoute],
        resolver: &mut AddressResolver<'_>,
        ctx: &VnetContext,
    ) -> EffectiveRoutes {
        let mut routes = EffectiveRoutes::default();
        routes.insert_text("0.0.0.0/0", system("0.0.0.0/0", NextHopType::Internet, "default"));
        // A user route for 0.0.0.0/0 removes the private-range `None` routes: "Azure removed the routes for the
        // 10.0.0.0/8, 192.168.0.0/16, and 100.64.0.0/10 address prefixes from the Subnet1 route table when the
        // user-defined route for the 0.0.0.0/0 address prefix was added" (the routing example of
        // <https://learn.microsoft.com/azure/virtual-network/virtual-networks-udr-overview#routing-example>). That
        // is what lets a hub-and-spoke spoke reach other spokes and on-premises ranges through the hub firewall.
        let user_default = route_table
            .map(|t| {
                t.properties
                    .routes
                    .iter()
                    .any(|r| r.properties.address_prefix.as_deref().map(str::trim) == Some("0.0.0.0/0"))
            })
            .unwrap_or(false);
        if !user_default {
            for p in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] {
                routes.insert_text(p, system(p, NextHopType::None, "private-range"));
            }
        }
        if let Some(v) = vnet {
            for p in &v.properties.address_space.address_prefixes {
                routes.insert_text(p, system(p, NextHopType::VnetLocal, "vnet-address-space"));
            }
            for peering in &v.properties.virtual_network_peerings {
                let state = peering.properties.peering_state.as_deref().map(PeeringState::parse);
                if state != Some(PeeringState::Connected) {
                    continue;
                }
                let remote = peering.properties.remote_address_space.as_ref();
                for p in remote.map(|r| r.address_prefixes.as_slice()).unwrap_or(&[]) {
                    let mut e = system(p, NextHopType::VNetPeering, &format!("peering:{}", peering.name));
                    e.id = peering.id.clone();
                    routes.insert_text(p, e);
                }
            }
        }
        // The prefixes of the user routes, for the private endpoint rule below.
        let mut user_nets: Vec<(IpNet, String)> = Vec::new();
        for route in route_table.map(|t| t.properties.routes.as_slice()).unwrap_or(&[]) {
            let Some(prefix) = route.properties.address_prefix.as_deref() else { continue };
            let mut entry = RouteEntry {
                address_prefix: prefix.to_string(),
                next_hop_type: NextHopType::parse(&route.properties.next_hop_type),
                next_hop_ip: route.properties.next_hop_ip_address.clone(),
                origin: RouteOrigin::User,
                id: route.id.clone(),
                name: route.name.clone(),
            };
            if let Some(net) = parse_net(prefix) {
                user_nets.push((net, prefix.to_string()));
                routes.insert(net, entry);
            } else if let Some(set) = resolver.service_tag(prefix) {
                entry.origin = RouteOrigin::UserServiceTag;
                for net in set.to_prefixes() {
                    user_nets.push((net, prefix.to_string()));
                    routes.insert(net, entry.clone());
                }
            } else {
                routes.unresolved.push(prefix.to_string());
            }
        }
        for ep in endpoints {
            routes.add_interface_endpoint(ep, &user_nets);
        }
        let _ = ctx;
        routes
    }

    /// A private endpoint's host route, unless the endpoint subnet's policy lets a user route invalidate it.
    fn add_interface_endpoint(&mut self, ep: &InterfaceEndpointRoute, user_nets: &[(IpNet, String)]) {
        let host = IpNet::from(ep.address);
        let covering = user_nets.iter().filter(|(n, _)| n.contains(&ep.address) && n.prefix_len() < host.prefix_len());
        match ep.policy {
            EndpointRoutePolicy::Disabled => {}
            EndpointRoutePolicy::RouteTableEnabled { vnet_prefix_len: Some(len) } => {
                if covering.clone().any(|(n, _)| n.prefix_len() >= len) {
                    return;
                }
            }
            EndpointRoutePolicy::RouteTableEnabled { vnet_prefix_len: None } | EndpointRoutePolicy::Unknown => {
                // Which covering route could invalidate it is unknown, except a default route: the page cites
                // 0.0.0.0/0 as a route that never does.
                for (_, text) in covering.filter(|(n, _)| n.prefix_len() > 0) {
                    self.endpoint_unresolved.push((host, text.clone()));
                }
            }
        }
        let entry = RouteEntry {
            address_prefix: host.to_string(),
            next_hop_type: NextHopType::InterfaceEndpoint,
            next_hop_ip: None,
            origin: RouteOrigin::System,
            id: ep.endpoint_id.clone(),
            name: format!("private-endpoint:{}", ep.endpoint_name),
        };
        self.insert(host, entry);
    }

    fn insert_text(&mut self, prefix: &str, entry: RouteEntry) {
        if let Some(net) = parse_net(prefix) {
            self.insert(net, entry);
        }
    }

    /// Insert, keeping the higher-precedence route on an equal prefix.
    pub fn insert(&mut self, net: impl Into<IpNet>, entry: RouteEntry) {
        let net = net.into().trunc();
        let keep_existing = self.trie.get(&net).map(|e| e.rank() > entry.rank()).unwrap_or(false);
        if !keep_existing {
            self.trie.insert(net, entry);
        }
    }

    /// The route for one IPv4 address.
    pub fn lookup(&self, addr: Ipv4Addr) -> Option<&RouteEntry> {
        self.lookup_ip(IpAddr::V4(addr))
    }

    /// The route for one address of either family.
    pub fn lookup_ip(&self, addr: IpAddr) -> Option<&RouteEntry> {
        self.trie.get_lpm(&IpNet::from(addr)).map(|(_, e)| e)
    }

    /// Split `dest` by the route that carries each part. Parts are grouped per route (by id and prefix text).
    /// Each family is matched against its own routes only.
    pub fn classify(&self, dest: &IpSet) -> Vec<(RouteEntry, IpSet)> {
        let mut parts: Vec<(RouteEntry, IpSet)> = Vec::new();
        for net in dest.to_prefixes() {
            self.classify_prefix(net, &mut parts);
        }
        parts
    }

    fn classify_prefix(&self, net: IpNet, out: &mut Vec<(RouteEntry, IpSet)>) {
        // Routes strictly inside `net` take their part of it (recursively); the rest follows net's own LPM.
        let mut rest = IpSet::from_ipnet(net);
        let mut last_inner: Option<IpNet> = None;
        let inner: Vec<IpNet> = self.trie.children(&net).map(|(p, _)| p).filter(|p| *p != net).collect();
        for p in inner {
            if last_inner.map(|l| l.contains(&p)).unwrap_or(false) {
                continue;
            }
            last_inner = Some(p);
            self.classify_prefix(p, out);
            rest = rest.difference(&IpSet::from_ipnet(p));
        }
        if rest.is_empty() {
            return;
        }
        let Some((_, entry)) = self.trie.get_lpm(&net) else { return };
        match out.iter_mut().find(|(e, _)| e == entry) {
            Some((_, set)) => *set = set.union(&rest),
            None => out.push((entry.clone(), rest)),
        }
    }

    /// The route prefixes whose effect on `dest` could not be resolved: unknown service tags, and user routes
    /// that may invalidate the host route of a private endpoint address in `dest`.
    pub fn unresolved_for(&self, dest: &IpSet) -> Vec<String> {
        let mut out = self.unresolved.clone();
        for (host, text) in &self.endpoint_unresolved {
            if IpSet::from_ipnet(*host).intersects(dest) && !out.contains(text) {
                out.push(text.clone());
            }
        }
        out
    }

    /// All routes (for reports).
    pub fn entries(&self) -> impl Iterator<Item = (IpNet, &RouteEntry)> {
        self.trie.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;

    fn user(prefix: &str, hop: &str, name: &str) -> RouteEntry {
        RouteEntry {
            address_prefix: prefix.into(),
            next_hop_type: NextHopType::parse(hop),
            next_hop_ip: None,
            origin: RouteOrigin::User,
            id: name.into(),
            name: name.into(),
        }
    }

    fn table(routes: &[(&str, RouteEntry)]) -> EffectiveRoutes {
        let mut t = EffectiveRoutes::default();
        t.insert_text("0.0.0.0/0", system("0.0.0.0/0", NextHopType::Internet, "default"));
        t.insert_text("10.0.0.0/8", system("10.0.0.0/8", NextHopType::None, "private-range"));
        for (p, e) in routes {
            t.insert_text(p, e.clone());
        }
        t
    }

    #[test]
    fn longest_prefix_wins_and_user_beats_system_on_equal_prefix() {
        let t = table(&[
            ("10.0.0.0/8", user("10.0.0.0/8", "VirtualAppliance", "to-fw")),
            ("10.1.2.0/24", user("10.1.2.0/24", "None", "blackhole")),
        ]);
        assert_eq!(t.lookup("10.1.2.9".parse().unwrap()).unwrap().name, "blackhole");
        assert_eq!(t.lookup("10.9.0.1".parse().unwrap()).unwrap().name, "to-fw");
        assert_eq!(t.lookup("8.8.8.8".parse().unwrap()).unwrap().next_hop_type, NextHopType::Internet);
    }

    #[test]
    fn a_set_is_split_across_overlapping_routes() {
        let t = table(&[
            ("20.60.0.0/16", user("20.60.0.0/16", "VirtualAppliance", "to-fw")),
            ("20.60.8.0/21", user("20.60.8.0/21", "None", "drop")),
        ]);
        let dest = IpSet::parse_prefix("20.60.0.0/19").unwrap().union(&IpSet::parse_prefix("52.239.152.0/22").unwrap());
        let parts = t.classify(&dest);
        let by = |name: &str| parts.iter().find(|(e, _)| e.name == name).map(|(_, s)| s.examples(4)).unwrap();
        assert_eq!(by("drop"), vec!["20.60.8.0/21"]);
        assert_eq!(by("to-fw"), vec!["20.60.0.0/21", "20.60.16.0/20"]);
        assert_eq!(by("default"), vec!["52.239.152.0/22"]);
    }

    #[test]
    fn service_tag_routes_expand_and_explicit_prefixes_win() {
        let snapshot: crate::snapshot::Snapshot = serde_json::from_str(
            r#"{"schema":"acr-audit/snapshot/v1","serviceTags":[{"values":[{"name":"Storage.EastUS","properties":{"region":"eastus","addressPrefixes":["20.60.0.0/19","2603:1030::/45"]}}]}],
                "resources":{"Microsoft.Network/routeTables":[{"id":"/rt","properties":{"routes":[
                  {"id":"/rt/routes/tag","name":"tag","properties":{"addressPrefix":"Storage.EastUS","nextHopType":"Internet"}},
                  {"id":"/rt/routes/x","name":"x","properties":{"addressPrefix":"20.60.0.0/19","nextHopType":"VirtualAppliance","nextHopIpAddress":"10.0.0.4"}},
                  {"id":"/rt/routes/d","name":"d","properties":{"addressPrefix":"0.0.0.0/0","nextHopType":"VirtualAppliance","nextHopIpAddress":"10.0.0.4"}},
                  {"id":"/rt/routes/u","name":"u","properties":{"addressPrefix":"Unknown.Tag","nextHopType":"None"}}]}}]}}"#,
        )
        .unwrap();
        let model = Model::from_snapshot(snapshot);
        let mut resolver = AddressResolver::new(&model);
        let ctx = VnetContext::of(None);
        let t = EffectiveRoutes::build(None, model.route_tables.first(), &[], &mut resolver, &ctx);
        assert_eq!(t.lookup("20.60.1.1".parse().unwrap()).unwrap().name, "x", "explicit prefix beats the tag");
        assert_eq!(t.lookup("1.1.1.1".parse().unwrap()).unwrap().name, "d", "user default beats system default");
        assert_eq!(t.unresolved, vec!["Unknown.Tag".to_string()]);
        assert_eq!(t.lookup_ip("2603:1030::1".parse().unwrap()).unwrap().name, "tag", "the tag keeps its IPv6 part");
    }

    /// Effective routes of a subnet whose route table holds `routes` (`(prefix, next hop)`), seeing one private
    /// endpoint at 10.0.1.5 with `policy`.
    fn with_endpoint(routes: &[(&str, &str)], policy: EndpointRoutePolicy) -> EffectiveRoutes {
        let routes: Vec<serde_json::Value> = routes
            .iter()
            .enumerate()
            .map(|(i, (prefix, hop))| {
                serde_json::json!({"id": format!("/rt/routes/r{i}"), "name": format!("r{i}"),
                    "properties": {"addressPrefix": prefix, "nextHopType": hop, "nextHopIpAddress": "10.0.0.4"}})
            })
            .collect();
        let snapshot = serde_json::json!({"schema": "acr-audit/snapshot/v1",
            "resources": {"Microsoft.Network/routeTables": [{"id": "/rt", "properties": {"routes": routes}}]}});
        let model = Model::from_snapshot(serde_json::from_value(snapshot).unwrap());
        let mut resolver = AddressResolver::new(&model);
        let endpoint = InterfaceEndpointRoute {
            address: "10.0.1.5".parse().unwrap(),
            endpoint_id: "/pe/pe-acr".into(),
            endpoint_name: "pe-acr".into(),
            policy,
        };
        EffectiveRoutes::build(None, model.route_tables.first(), &[endpoint], &mut resolver, &VnetContext::of(None))
    }

    fn hop_to_endpoint(t: &EffectiveRoutes) -> (String, String) {
        let e = t.lookup_ip("10.0.1.5".parse().unwrap()).unwrap();
        (e.next_hop_type.as_str().to_string(), e.address_prefix.clone())
    }

    /// The routing example of the UDR overview: a user `0.0.0.0/0` route removes the private-range `None` routes,
    /// so another spoke's address (10.2.1.4, outside every peering) goes to the appliance, not to `None`; a
    /// narrower user route leaves them in place.
    #[test]
    fn a_user_default_route_removes_the_private_range_none_routes() {
        let hop = |t: &EffectiveRoutes, ip: &str| {
            let e = t.lookup_ip(ip.parse().unwrap()).unwrap();
            (e.next_hop_type.as_str().to_string(), e.address_prefix.clone())
        };
        let t = with_endpoint(&[("0.0.0.0/0", "VirtualAppliance")], EndpointRoutePolicy::Disabled);
        assert_eq!(hop(&t, "10.2.1.4"), ("VirtualAppliance".into(), "0.0.0.0/0".into()));
        assert_eq!(hop(&t, "192.168.7.1"), ("VirtualAppliance".into(), "0.0.0.0/0".into()));
        let t = with_endpoint(&[("20.0.0.0/8", "VirtualAppliance")], EndpointRoutePolicy::Disabled);
        assert_eq!(hop(&t, "10.2.1.4"), ("None".into(), "10.0.0.0/8".into()));
    }

    const ENABLED_16: EndpointRoutePolicy = EndpointRoutePolicy::RouteTableEnabled { vnet_prefix_len: Some(16) };

    #[test]
    fn a_private_endpoint_host_route_beats_broader_user_routes_while_route_policies_are_disabled() {
        for hop in ["None", "VirtualAppliance"] {
            let t = with_endpoint(&[("10.0.0.0/16", hop)], EndpointRoutePolicy::Disabled);
            assert_eq!(hop_to_endpoint(&t), ("InterfaceEndpoint".into(), "10.0.1.5/32".into()));
            assert_eq!(t.lookup_ip("10.0.1.6".parse().unwrap()).unwrap().name, "r0", "only the host route");
            assert!(t.unresolved.is_empty());
        }
        // NetworkSecurityGroupEnabled enables NSGs only, not route tables.
        assert_eq!(
            EndpointRoutePolicy::parse(Some("NetworkSecurityGroupEnabled"), Some(16)),
            EndpointRoutePolicy::Disabled
        );
        assert_eq!(EndpointRoutePolicy::parse(None, Some(16)), EndpointRoutePolicy::Disabled);
    }

    #[test]
    fn with_route_table_policies_a_user_route_as_long_as_the_vnet_space_invalidates_the_host_route() {
        for value in ["RouteTableEnabled", "Enabled", "enabled"] {
            assert_eq!(EndpointRoutePolicy::parse(Some(value), Some(16)), ENABLED_16);
        }
        for (prefix, hop) in [("10.0.0.0/16", "None"), ("10.0.1.0/24", "VirtualAppliance")] {
            let t = with_endpoint(&[(prefix, hop)], ENABLED_16);
            assert_eq!(hop_to_endpoint(&t), (hop.to_string(), prefix.to_string()));
        }
        // Broader than the endpoint VNet's /16: the host route stands (the documented 0.0.0.0/0 example).
        for prefix in ["0.0.0.0/0", "10.0.0.0/8"] {
            let t = with_endpoint(&[(prefix, "VirtualAppliance")], ENABLED_16);
            assert_eq!(hop_to_endpoint(&t).0, "InterfaceEndpoint", "{prefix}");
        }
    }

    #[test]
    fn a_host_user_route_overrides_the_endpoint_route_and_an_unknown_policy_is_not_guessed() {
        let t = with_endpoint(&[("10.0.1.5/32", "VirtualAppliance")], EndpointRoutePolicy::Disabled);
        assert_eq!(hop_to_endpoint(&t), ("VirtualAppliance".into(), "10.0.1.5/32".into()));
        let t = with_endpoint(&[("10.0.0.0/16", "None")], EndpointRoutePolicy::Unknown);
        assert_eq!(hop_to_endpoint(&t).0, "InterfaceEndpoint");
        let endpoint = IpSet::parse_prefix("10.0.1.5").unwrap();
        assert_eq!(t.unresolved_for(&endpoint), vec!["10.0.0.0/16".to_string()], "the /16 may capture the endpoint");
        let elsewhere = IpSet::parse_prefix("20.60.0.0/19").unwrap();
        assert!(t.unresolved_for(&elsewhere).is_empty(), "other destinations are not in doubt");
        let t = with_endpoint(&[("0.0.0.0/0", "VirtualAppliance")], EndpointRoutePolicy::Unknown);
        assert!(t.unresolved_for(&endpoint).is_empty(), "a default route never invalidates the host route");
        let t = with_endpoint(&[], EndpointRoutePolicy::Unknown);
        assert!(t.unresolved_for(&endpoint).is_empty(), "no user route can capture it");
    }

    #[test]
    fn routes_of_the_other_family_never_apply() {
        let t = with_endpoint(&[("::/0", "None"), ("fd00::/8", "VirtualAppliance")], EndpointRoutePolicy::Disabled);
        assert_eq!(t.lookup_ip("20.1.2.3".parse().unwrap()).unwrap().name, "default");
        assert_eq!(t.lookup_ip("fd00::1".parse().unwrap()).unwrap().name, "r1");
        assert_eq!(t.lookup_ip("2001:db8::1".parse().unwrap()).unwrap().name, "r0");
        let dest = IpSet::parse_prefix("20.60.0.0/19").unwrap();
        let parts = t.classify(&dest);
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].0.name, "default");
    }
}
