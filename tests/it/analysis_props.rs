//! Property tests: the NSG evaluator and the route LPM agree with brute-force references that check one
//! address at a time.

use acr_audit::analysis::net::ipset::IpSet;
use acr_audit::analysis::net::nsg::{evaluate, Flow};
use acr_audit::analysis::net::routes::{EffectiveRoutes, RouteEntry};
use acr_audit::analysis::net::tags::{AddressResolver, VnetContext};
use acr_audit::analysis::{Direction, NextHopType, RouteOrigin};
use acr_audit::model::{Model, NetworkSecurityGroup};
use ipnet::Ipv4Net;
use proptest::prelude::*;
use std::net::Ipv4Addr;

/// Addresses live in 10.0.0.0/16 so random prefixes overlap often.
fn addr(offset: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x0A00_0000 | (offset & 0xFFFF))
}

fn prefix_strategy() -> impl Strategy<Value = Ipv4Net> {
    (0u32..0x10000, 16u8..=32).prop_map(|(o, len)| Ipv4Net::new(addr(o), len).unwrap().trunc())
}

#[derive(Debug, Clone)]
struct Rule {
    priority: u32,
    allow: bool,
    dest: Ipv4Net,
    ports: (u16, u16),
    tcp: bool,
}

fn rule_strategy() -> impl Strategy<Value = Rule> {
    (100u32..200, any::<bool>(), prefix_strategy(), 400u16..500, 0u16..60, any::<bool>())
        .prop_map(|(priority, allow, dest, lo, span, tcp)| Rule { priority, allow, dest, ports: (lo, lo + span), tcp })
}

fn nsg_json(rules: &[Rule]) -> NetworkSecurityGroup {
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| {
            serde_json::json!({"id": format!("/nsg/securityRules/r{i}"), "name": format!("r{i}"), "properties": {
                "protocol": if r.tcp {"Tcp"} else {"Udp"}, "sourcePortRange": "*",
                "destinationPortRange": format!("{}-{}", r.ports.0, r.ports.1),
                "sourceAddressPrefix": "*", "destinationAddressPrefix": r.dest.to_string(),
                "access": if r.allow {"Allow"} else {"Deny"}, "priority": r.priority, "direction": "Outbound"}})
        })
        .collect();
    serde_json::from_value(serde_json::json!({"id": "/nsg", "name": "nsg", "properties": {"securityRules": rules}}))
        .unwrap()
}

/// One address at a time: the first matching rule by priority (ties: the order ARM listed them), else the
/// default rules (the address space here is private, so AllowVnetOutBound does not apply and DenyAllOutBound does).
fn brute_force_allows(rules: &[Rule], a: Ipv4Addr, port: u16) -> bool {
    let mut sorted: Vec<&Rule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.priority);
    sorted
        .into_iter()
        .find(|r| r.tcp && r.ports.0 <= port && port <= r.ports.1 && r.dest.contains(&a))
        .map(|r| r.allow)
        .unwrap_or(false)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn nsg_evaluator_matches_brute_force(
        rules in proptest::collection::vec(rule_strategy(), 0..12),
        dests in proptest::collection::vec(prefix_strategy(), 1..4),
        port in 400u16..520,
        samples in proptest::collection::vec(0u32..0x10000, 64),
    ) {
        let nsg = nsg_json(&rules);
        let model = Model::default();
        let mut resolver = AddressResolver::new(&model);
        let ctx = VnetContext::of(None);
        let dest = dests.iter().fold(IpSet::empty(), |acc, p| acc.union(&IpSet::from_net(*p)));
        let source = IpSet::parse_prefix("192.168.0.0/24").unwrap();
        let flow = Flow { source: &source, source_asgs: None, destination: &dest, destination_asgs: &[], port, direction: Direction::Outbound };
        let v = evaluate(&nsg, &flow, &mut resolver, &ctx);
        prop_assert_eq!(v.allowed.union(&v.denied), dest.clone());
        prop_assert!(!v.allowed.intersects(&v.denied));
        for o in samples {
            let a = addr(o);
            if !dest.contains(a) { continue; }
            prop_assert_eq!(v.allowed.contains(a), brute_force_allows(&rules, a, port), "address {}", a);
        }
    }

    #[test]
    fn route_classification_matches_brute_force_lpm(
        routes in proptest::collection::vec((prefix_strategy(), 0usize..4), 0..16),
        dests in proptest::collection::vec(prefix_strategy(), 1..4),
        samples in proptest::collection::vec(0u32..0x10000, 64),
    ) {
        let hops = ["None", "VirtualAppliance", "Internet", "VnetLocal"];
        let mut table = EffectiveRoutes::default();
        let entry = |p: &Ipv4Net, h: usize, name: String| RouteEntry {
            address_prefix: p.to_string(), next_hop_type: NextHopType::parse(hops[h]), next_hop_ip: None,
            origin: RouteOrigin::User, id: name.clone(), name };
        let default: Ipv4Net = "0.0.0.0/0".parse().unwrap();
        table.insert(default, entry(&default, 2, "default".into()));
        // Later duplicates of the same prefix replace earlier ones (same origin): the reference does the same.
        let mut reference: Vec<(Ipv4Net, String)> = vec![(default, "default".into())];
        for (i, (p, h)) in routes.iter().enumerate() {
            table.insert(*p, entry(p, *h, format!("r{i}")));
            reference.retain(|(q, _)| q != p);
            reference.push((*p, format!("r{i}")));
        }
        let dest = dests.iter().fold(IpSet::empty(), |acc, p| acc.union(&IpSet::from_net(*p)));
        let parts = table.classify(&dest);
        let covered = parts.iter().fold(IpSet::empty(), |acc, (_, s)| acc.union(s));
        prop_assert_eq!(covered, dest.clone());
        for o in samples {
            let a = addr(o);
            if !dest.contains(a) { continue; }
            let expected = reference.iter().filter(|(p, _)| p.contains(&a)).max_by_key(|(p, _)| p.prefix_len()).map(|(_, n)| n.clone()).unwrap();
            let got: Vec<&str> = parts.iter().filter(|(_, s)| s.contains(a)).map(|(e, _)| e.name.as_str()).collect();
            prop_assert_eq!(got.clone(), vec![expected.as_str()], "address {}", a);
            prop_assert_eq!(table.lookup(a).map(|e| e.name.clone()), Some(expected));
        }
    }
}
