//! NSG evaluation for a flow from a set of sources to a set of destinations on one TCP port.
//!
//! Rules are applied in priority order (lowest number first); the first rule that matches an address decides
//! it. Because the destination is a set (a private IP, or every prefix of `Storage.EastUS`), the result says
//! which part is allowed, which part denied, and by which rule. Protocol (`Tcp`/`*`), port ranges and lists,
//! address prefixes and lists, service tags and application security groups are honoured. When the
//! snapshot lacks `defaultSecurityRules`, Azure's six defaults are applied (they exist on every NSG).
//!
//! Addresses of both families are evaluated, each on its own (a flow's source and destination share a family):
//! a rule whose prefixes mix IPv4 and IPv6 is applied with the prefixes of the family in question, and a prefix
//! of the other family neither matches nor blocks.
//!
//! A rule that cannot be resolved (a service tag the snapshot lacks; an ASG whose members are unknown) is not
//! guessed: if it could have matched before the deciding rule, the verdict is marked `uncertain`.

use super::ipset::IpSet;
use super::tags::{AddressResolver, VnetContext};
use crate::analysis::facts::{Access, DecidingRule, Direction, NsgVerdict, NsgVerdictKind};
use crate::model::{NetworkSecurityGroup, SecurityRule, SecurityRuleProperties, SubResource};

/// The flow to evaluate.
#[derive(Debug, Clone)]
pub struct Flow<'a> {
    /// Source addresses (the client's subnet).
    pub source: &'a IpSet,
    /// Source ASGs (lower-cased ids); `None` when the client's NICs are not known.
    pub source_asgs: Option<&'a [String]>,
    /// Destination addresses.
    pub destination: &'a IpSet,
    /// Destination ASGs (lower-cased ids) of a private endpoint.
    pub destination_asgs: &'a [String],
    /// TCP destination port.
    pub port: u16,
    /// Direction.
    pub direction: Direction,
}

/// An NSG's verdict on a flow, with the address sets behind it (which the facts do not carry).
#[derive(Debug, Clone)]
pub struct NsgEvaluation {
    /// The verdict, as the facts show it.
    pub verdict: NsgVerdict,
    /// Allowed part of the destination.
    pub allowed: IpSet,
    /// Denied part of the destination.
    pub denied: IpSet,
}

fn port_matches(single: Option<&str>, list: &[String], port: u16) -> bool {
    let matches = |r: &str| {
        let r = r.trim();
        if r == "*" {
            return true;
        }
        match r.split_once('-') {
            Some((lo, hi)) => match (lo.trim().parse::<u16>(), hi.trim().parse::<u16>()) {
                (Ok(lo), Ok(hi)) => lo <= port && port <= hi,
                _ => false,
            },
            None => r.parse::<u16>().map(|p| p == port).unwrap_or(false),
        }
    };
    single.map(matches).unwrap_or(false) || list.iter().any(|r| matches(r))
}

fn protocol_matches(protocol: &str) -> bool {
    protocol == "*" || protocol.eq_ignore_ascii_case("Tcp") || protocol.eq_ignore_ascii_case("Any")
}

fn prefixes<'a>(single: &'a Option<String>, list: &'a [String]) -> Vec<&'a str> {
    single.iter().map(String::as_str).chain(list.iter().map(String::as_str)).collect()
}

fn asg_match(rule_asgs: &[SubResource], member_of: &[String]) -> bool {
    rule_asgs.iter().any(|a| member_of.iter().any(|m| m.eq_ignore_ascii_case(&a.id)))
}

/// Every address of each family in which `rule_source` holds one of the flow's `source` addresses: a flow's
/// source and destination are of one family, so a rule's source matters only for its own family.
fn matching_families(rule_source: &IpSet, source: &IpSet) -> IpSet {
    source
        .families()
        .into_iter()
        .filter(|f| rule_source.family(*f).intersects(&source.family(*f)))
        .fold(IpSet::empty(), |acc, f| acc.union(&IpSet::all_of(f)))
}

/// Azure's default rules, for NSGs whose snapshot omits `defaultSecurityRules`.
fn default_rules(nsg_id: &str) -> Vec<SecurityRule> {
    let rule = |name: &str, src: &str, dst: &str, access: &str, priority: u32, direction: &str| SecurityRule {
        id: format!("{nsg_id}/defaultSecurityRules/{name}"),
        name: name.to_string(),
        properties: SecurityRuleProperties {
            protocol: "*".into(),
            source_port_range: Some("*".into()),
            source_port_ranges: vec![],
            destination_port_range: Some("*".into()),
            destination_port_ranges: vec![],
            source_address_prefix: Some(src.into()),
            source_address_prefixes: vec![],
            destination_address_prefix: Some(dst.into()),
            destination_address_prefixes: vec![],
            source_application_security_groups: vec![],
            destination_application_security_groups: vec![],
            access: access.into(),
            priority,
            direction: direction.into(),
        },
    };
    vec![
        rule("AllowVnetInBound", "VirtualNetwork", "VirtualNetwork", "Allow", 65000, "Inbound"),
        rule("AllowAzureLoadBalancerInBound", "AzureLoadBalancer", "*", "Allow", 65001, "Inbound"),
        rule("DenyAllInBound", "*", "*", "Deny", 65500, "Inbound"),
        rule("AllowVnetOutBound", "VirtualNetwork", "VirtualNetwork", "Allow", 65000, "Outbound"),
        rule("AllowInternetOutBound", "*", "Internet", "Allow", 65001, "Outbound"),
        rule("DenyAllOutBound", "*", "*", "Deny", 65500, "Outbound"),
    ]
}

/// Evaluate one NSG for a flow. `ctx` is the VNet context of the NSG's subnet (for `VirtualNetwork`).
pub fn evaluate(
    nsg: &NetworkSecurityGroup,
    flow: &Flow<'_>,
    resolver: &mut AddressResolver<'_>,
    ctx: &VnetContext,
) -> NsgEvaluation {
    let defaults;
    let default_list = if nsg.properties.default_security_rules.is_empty() {
        defaults = default_rules(&nsg.id);
        &defaults
    } else {
        &nsg.properties.default_security_rules
    };
    let mut rules: Vec<(&SecurityRule, bool)> = nsg
        .properties
        .security_rules
        .iter()
        .map(|r| (r, false))
        .chain(default_list.iter().map(|r| (r, true)))
        .filter(|(r, _)| r.properties.direction.eq_ignore_ascii_case(flow.direction.as_str()))
        .collect();
    rules.sort_by_key(|(r, _)| r.properties.priority);

    let mut remaining = flow.destination.clone();
    let (mut allowed, mut denied) = (IpSet::empty(), IpSet::empty());
    let mut deciding = Vec::new();
    let mut unresolved: Vec<String> = Vec::new();
    let mut uncertain = false;
    for (rule, is_default) in rules {
        if remaining.is_empty() {
            break;
        }
        let p = &rule.properties;
        if !protocol_matches(&p.protocol)
            || !port_matches(p.destination_port_range.as_deref(), &p.destination_port_ranges, flow.port)
        {
            continue;
        }
        // Source side, per address family: the families in which the rule's source (prefixes or ASGs) covers a
        // client address. A prefix of the other family neither matches nor blocks.
        let source_match = if !p.source_application_security_groups.is_empty() {
            flow.source_asgs.map(|member_of| {
                if asg_match(&p.source_application_security_groups, member_of) {
                    IpSet::all()
                } else {
                    IpSet::empty()
                }
            })
        } else {
            resolver
                .resolve_all(prefixes(&p.source_address_prefix, &p.source_address_prefixes), ctx)
                .map(|s| matching_families(&s, flow.source))
        };
        // Destination side: the part of what is still undecided that the rule covers.
        let dest_set = if !p.destination_application_security_groups.is_empty() {
            Some(if asg_match(&p.destination_application_security_groups, flow.destination_asgs) {
                IpSet::all()
            } else {
                IpSet::empty()
            })
        } else {
            resolver.resolve_all(prefixes(&p.destination_address_prefix, &p.destination_address_prefixes), ctx)
        };
        let (Some(source_match), Some(dest_set)) = (source_match, dest_set) else {
            unresolved.push(rule.id.clone());
            uncertain = true;
            continue;
        };
        let matched = remaining.intersection(&dest_set).intersection(&source_match);
        if matched.is_empty() {
            continue;
        }
        remaining = remaining.difference(&matched);
        let access = Access::parse(&p.access);
        if access == Access::Allow {
            allowed = allowed.union(&matched);
        } else {
            denied = denied.union(&matched);
        }
        deciding.push(DecidingRule {
            id: rule.id.clone(),
            name: rule.name.clone(),
            priority: p.priority,
            access,
            default: is_default,
            addresses: matched.len(),
            examples: matched.examples(5),
        });
    }
    // Nothing matched at all (cannot happen with default rules): Azure denies.
    denied = denied.union(&remaining);
    let verdict = match (allowed.is_empty(), denied.is_empty()) {
        (_, true) => NsgVerdictKind::Allow,
        (true, false) => NsgVerdictKind::Deny,
        (false, false) => NsgVerdictKind::Partial,
    };
    let verdict = NsgVerdict {
        nsg: nsg.id.clone(),
        name: nsg.name.clone(),
        direction: flow.direction,
        verdict,
        uncertain,
        unresolved_rules: unresolved,
        deciding_rules: deciding,
        denied_examples: denied.examples(5),
        denied_addresses: denied.len(),
    };
    NsgEvaluation { verdict, allowed, denied }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use serde_json::json;

    /// An NSG holding `rules` (outbound TCP, any source unless the rule names one).
    fn model_with(rules: Vec<serde_json::Value>) -> Model {
        let rules: Vec<serde_json::Value> = rules
            .into_iter()
            .map(|mut r| {
                let props = r["properties"].as_object_mut().unwrap();
                for (k, v) in [("protocol", "Tcp"), ("sourcePortRange", "*"), ("destinationPortRange", "443")] {
                    props.entry(k).or_insert(json!(v));
                }
                props.entry("direction").or_insert(json!("Outbound"));
                if !props.contains_key("sourceAddressPrefixes") {
                    props.entry("sourceAddressPrefix").or_insert(json!("*"));
                }
                r
            })
            .collect();
        let snapshot = json!({"schema": "acr-audit/snapshot/v1", "resources": {"Microsoft.Network/networkSecurityGroups": [
            {"id": "/nsg", "name": "nsg", "properties": {"securityRules": rules}}]}});
        Model::from_snapshot(serde_json::from_value(snapshot).unwrap())
    }

    fn rule(name: &str, priority: u32, access: &str, props: serde_json::Value) -> serde_json::Value {
        let mut p = props;
        p["priority"] = json!(priority);
        p["access"] = json!(access);
        json!({"id": format!("/nsg/securityRules/{name}"), "name": name, "properties": p})
    }

    fn verdict(model: &Model, source: &str, destination: &str) -> NsgEvaluation {
        let (source, destination) = (IpSet::parse_prefix(source).unwrap(), IpSet::parse_prefix(destination).unwrap());
        let flow = Flow {
            source: &source,
            source_asgs: None,
            destination: &destination,
            destination_asgs: &[],
            port: 443,
            direction: Direction::Outbound,
        };
        let mut resolver = AddressResolver::new(model);
        evaluate(&model.network_security_groups[0], &flow, &mut resolver, &VnetContext::of(None))
    }

    fn deciding(e: &NsgEvaluation) -> Vec<&str> {
        e.verdict.deciding_rules.iter().map(|r| r.name.as_str()).collect()
    }

    #[test]
    fn an_allow_rule_mixing_families_allows_the_ipv4_flow_and_is_not_unresolved() {
        let model = model_with(vec![
            rule("AllowAcrMixed", 100, "Allow", json!({"destinationAddressPrefixes": ["10.1.0.0/16", "fd00::/8"]})),
            rule("DenyRest", 200, "Deny", json!({"destinationAddressPrefix": "*"})),
        ]);
        let e = verdict(&model, "10.10.0.4", "10.1.0.5");
        assert_eq!((e.verdict.verdict, e.verdict.uncertain), (NsgVerdictKind::Allow, false));
        assert!(e.verdict.unresolved_rules.is_empty(), "{:?}", e.verdict.unresolved_rules);
        assert_eq!(deciding(&e), vec!["AllowAcrMixed"]);
        // The same rule, for the IPv6 flow, applies its IPv6 prefix.
        let e = verdict(&model, "fd00:10::4", "fd00:1::5");
        assert_eq!((e.verdict.verdict, deciding(&e)), (NsgVerdictKind::Allow, vec!["AllowAcrMixed"]));
        // An IPv6 destination outside its IPv6 prefix falls to the deny.
        let e = verdict(&model, "fd00:10::4", "2001:db8::5");
        assert_eq!((e.verdict.verdict, deciding(&e)), (NsgVerdictKind::Deny, vec!["DenyRest"]));
    }

    #[test]
    fn a_deny_rule_with_only_ipv6_prefixes_does_not_block_ipv4() {
        let model = model_with(vec![
            rule("DenyV6", 100, "Deny", json!({"destinationAddressPrefix": "fd00::/8"})),
            rule(
                "DenyFromV6",
                110,
                "Deny",
                json!({"sourceAddressPrefixes": ["fd00:10::/64"], "destinationAddressPrefix": "*"}),
            ),
            rule("AllowV4", 200, "Allow", json!({"destinationAddressPrefix": "10.1.0.0/16"})),
        ]);
        let e = verdict(&model, "10.10.0.4", "10.1.0.5");
        assert_eq!((e.verdict.verdict, e.verdict.uncertain), (NsgVerdictKind::Allow, false));
        assert_eq!(deciding(&e), vec!["AllowV4"]);
        // For IPv6 the deny does decide.
        let e = verdict(&model, "fd00:10::4", "fd00:1::5");
        assert_eq!((e.verdict.verdict, deciding(&e)), (NsgVerdictKind::Deny, vec!["DenyV6"]));
        // A source prefix of the other family does not match an IPv4 client either.
        let e = verdict(&model, "10.10.0.4", "20.1.2.3");
        assert_ne!(deciding(&e).first(), Some(&"DenyFromV6"));
    }

    #[test]
    fn a_service_tag_keeps_both_families() {
        let snapshot = json!({"schema": "acr-audit/snapshot/v1",
            "serviceTags": [{"values": [{"name": "AzureContainerRegistry", "properties": {"addressPrefixes": ["20.38.0.0/16", "2603:1000::/40"]}}]}],
            "resources": {"Microsoft.Network/networkSecurityGroups": [{"id": "/nsg", "name": "nsg", "properties": {"securityRules": [
                {"id": "/nsg/securityRules/DenyAcr", "name": "DenyAcr", "properties": {"protocol": "Tcp", "sourcePortRange": "*",
                 "destinationPortRange": "443", "sourceAddressPrefix": "*", "destinationAddressPrefix": "AzureContainerRegistry",
                 "access": "Deny", "priority": 100, "direction": "Outbound"}}]}}]}});
        let model = Model::from_snapshot(serde_json::from_value(snapshot).unwrap());
        assert_eq!(deciding(&verdict(&model, "10.10.0.4", "20.38.1.1")), vec!["DenyAcr"]);
        assert_eq!(deciding(&verdict(&model, "fd00:10::4", "2603:1000::1")), vec!["DenyAcr"]);
        assert_ne!(deciding(&verdict(&model, "fd00:10::4", "2603:2000::1")), vec!["DenyAcr"]);
    }
}
