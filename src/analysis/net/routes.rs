//! Effective routes of a subnet and longest-prefix matching over them, for single addresses and for whole
//! address sets (a service tag is thousands of prefixes that may leave by different next hops).
//!
//! System routes: the VNet's address space -> `VnetLocal`; each `Connected` peering's remote space ->
//! `VNetPeering`; `0.0.0.0/0` -> `Internet`; the private ranges 10/8, 172.16/12, 192.168/16 and 100.64/10 ->
//! `None`. User routes from the subnet's route table override them; on an equal prefix a user route wins, and
//! an explicit user prefix wins over one expanded from a service tag (Azure's documented precedence). BGP
//! routes are not visible in ARM and are not modelled.

use super::ipset::IpSet;
use super::tags::{AddressResolver, VnetContext};
use crate::analysis::facts::{NextHopType, PeeringState, RouteOrigin};
use crate::model::{RouteTable, VirtualNetwork};
use ipnet::Ipv4Net;
use prefix_trie::PrefixMap;
use serde::Serialize;
use std::net::Ipv4Addr;

/// One effective route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RouteEntry {
    /// The prefix as written (a CIDR, or the service tag for tag routes).
    pub address_prefix: String,
    /// `VnetLocal`, `VNetPeering`, `Internet`, `VirtualAppliance`, `VirtualNetworkGateway`, `None`.
    pub next_hop_type: NextHopType,
    /// The appliance for `VirtualAppliance`.
    pub next_hop_ip: Option<String>,
    /// System or user.
    pub origin: RouteOrigin,
    /// Route id (user routes) or a descriptive name (system routes).
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

/// The effective route table of one subnet.
#[derive(Debug, Clone, Default)]
pub struct EffectiveRoutes {
    trie: PrefixMap<Ipv4Net, RouteEntry>,
    /// Route prefixes that could not be resolved (a service tag missing from the snapshot).
    pub unresolved: Vec<String>,
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

impl EffectiveRoutes {
    /// Build the effective routes of a subnet in `vnet`, with its route table (if any).
    pub fn build(
        vnet: Option<&VirtualNetwork>,
        route_table: Option<&RouteTable>,
        resolver: &mut AddressResolver<'_>,
        ctx: &VnetContext,
    ) -> EffectiveRoutes {
        let mut routes = EffectiveRoutes::default();
        routes.insert_text("0.0.0.0/0", system("0.0.0.0/0", NextHopType::Internet, "default"));
        for p in ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"] {
            routes.insert_text(p, system(p, NextHopType::None, "private-range"));
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
            if IpSet::parse_prefix(prefix).is_some() {
                routes.insert_text(prefix, entry);
            } else if let Some(set) = resolver.service_tag(prefix) {
                entry.origin = RouteOrigin::UserServiceTag;
                for net in set.to_prefixes() {
                    routes.insert(net, entry.clone());
                }
            } else if !IpSet::is_ipv6_text(prefix) {
                routes.unresolved.push(prefix.to_string());
            }
        }
        let _ = ctx;
        routes
    }

    fn insert_text(&mut self, prefix: &str, entry: RouteEntry) {
        if let Ok(net) = prefix.trim().parse::<Ipv4Net>() {
            self.insert(net.trunc(), entry);
        }
    }

    /// Insert, keeping the higher-precedence route on an equal prefix.
    pub fn insert(&mut self, net: Ipv4Net, entry: RouteEntry) {
        let keep_existing = self.trie.get(&net).map(|e| e.rank() > entry.rank()).unwrap_or(false);
        if !keep_existing {
            self.trie.insert(net, entry);
        }
    }

    /// The route for one address.
    pub fn lookup(&self, addr: Ipv4Addr) -> Option<&RouteEntry> {
        let host = Ipv4Net::new(addr, 32).ok()?;
        self.trie.get_lpm(&host).map(|(_, e)| e)
    }

    /// Split `dest` by the route that carries each part. Parts are grouped per route (by id and prefix text).
    pub fn classify(&self, dest: &IpSet) -> Vec<(RouteEntry, IpSet)> {
        let mut parts: Vec<(RouteEntry, IpSet)> = Vec::new();
        for net in dest.to_prefixes() {
            self.classify_prefix(net, &mut parts);
        }
        parts
    }

    fn classify_prefix(&self, net: Ipv4Net, out: &mut Vec<(RouteEntry, IpSet)>) {
        // Routes strictly inside `net` take their part of it (recursively); the rest follows net's own LPM.
        let mut rest = IpSet::from_net(net);
        let mut last_inner: Option<Ipv4Net> = None;
        let inner: Vec<Ipv4Net> = self.trie.children(&net).map(|(p, _)| p).filter(|p| *p != net).collect();
        for p in inner {
            if last_inner.map(|l| l.contains(&p)).unwrap_or(false) {
                continue;
            }
            last_inner = Some(p);
            self.classify_prefix(p, out);
            rest = rest.difference(&IpSet::from_net(p));
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

    /// All routes (for reports).
    pub fn entries(&self) -> impl Iterator<Item = (Ipv4Net, &RouteEntry)> {
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
        let t = EffectiveRoutes::build(None, model.route_tables.first(), &mut resolver, &ctx);
        assert_eq!(t.lookup("20.60.1.1".parse().unwrap()).unwrap().name, "x", "explicit prefix beats the tag");
        assert_eq!(t.lookup("1.1.1.1".parse().unwrap()).unwrap().name, "d", "user default beats system default");
        assert_eq!(t.unresolved, vec!["Unknown.Tag".to_string()]);
    }
}
