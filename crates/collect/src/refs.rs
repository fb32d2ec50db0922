//! References read from ARM data that the collector turns into requests, checked before they are sent, and the
//! address arithmetic discovery needs.
//!
//! An id in a response (a zone group's zone, a firewall's policy, a rule's IP group, a subnet's IP
//! configuration) is attacker-controlled text: it becomes a request path only when it is exactly
//! `/subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{type}/{name}` for the namespace and type the
//! reference is expected to name, with each variable segment made of characters ARM names use. A query, a
//! fragment, an escape or a dot segment is refused rather than sent.

use std::net::IpAddr;

/// A variable segment of an id: what ARM resource names, resource group names and subscription ids are made of.
fn safe(s: &str) -> bool {
    !s.is_empty() && s != "." && s != ".." && s.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c))
}

/// `/subscriptions/{s}/resourceGroups/{rg}/providers/{namespace}/{kind}/{name}` and nothing else.
pub(crate) fn is_resource_id(id: &str, namespace: &str, kind: &str) -> bool {
    let segments: Vec<&str> = id.split('/').collect();
    matches!(
        segments.as_slice(),
        ["", subs, s, rgs, rg, providers, ns, k, name]
            if subs.eq_ignore_ascii_case("subscriptions")
                && rgs.eq_ignore_ascii_case("resourceGroups")
                && providers.eq_ignore_ascii_case("providers")
                && ns.eq_ignore_ascii_case(namespace)
                && k.eq_ignore_ascii_case(kind)
                && [s, rg, name].iter().all(|x| safe(x))
    )
}

/// The id of the `{namespace}/{kind}` resource that `id` names or lies below (a firewall's IP configuration
/// `.../azureFirewalls/fw/azureFirewallIpConfigurations/c` gives `.../azureFirewalls/fw`), when that prefix is
/// a valid id ([`is_resource_id`]). Only the first nine segments are kept, so what follows them never reaches a
/// request.
pub(crate) fn resource_prefix(id: &str, namespace: &str, kind: &str) -> Option<String> {
    let prefix: Vec<&str> = id.split('/').take(9).collect();
    let prefix = prefix.join("/");
    is_resource_id(&prefix, namespace, kind).then_some(prefix)
}

/// Whether `prefix` (`10.0.0.0/24`, `fd00::/64`, or a bare address as a host route) contains the address `ip`.
/// Anything that does not parse contains nothing.
pub(crate) fn prefix_contains(prefix: &str, ip: &str) -> bool {
    let Ok(ip) = ip.trim().parse::<IpAddr>() else { return false };
    let (net, len) = match prefix.trim().split_once('/') {
        Some((net, len)) => (net, len.parse::<u32>().ok()),
        None => (prefix.trim(), None),
    };
    let Ok(net) = net.parse::<IpAddr>() else { return false };
    match (net, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let len = len.unwrap_or(32);
            if len > 32 {
                return false;
            }
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(net) & mask == u32::from(ip) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let len = len.unwrap_or(128);
            if len > 128 {
                return false;
            }
            let mask = if len == 0 { 0 } else { u128::MAX << (128 - len) };
            u128::from(net) & mask == u128::from(ip) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FW: &str = "/subscriptions/s/resourceGroups/rg-hub/providers/Microsoft.Network/azureFirewalls/fw-hub";

    #[test]
    fn only_ids_of_the_expected_type_with_safe_segments_are_resource_ids() {
        assert!(is_resource_id(FW, "Microsoft.Network", "azureFirewalls"));
        assert!(is_resource_id(&FW.to_ascii_lowercase(), "Microsoft.Network", "azureFirewalls"));
        assert!(!is_resource_id(FW, "Microsoft.Network", "firewallPolicies"));
        for bad in [
            format!("{FW}/"),
            format!("{FW}?api-version=1"),
            format!("{FW}#x"),
            FW.replace("fw-hub", ".."),
            FW.replace("fw-hub", "fw%2F.."),
            FW.replace("/resourceGroups/", "/resourceGroup/"),
            // The shape the published IpGroups examples use: not an id ARM would serve.
            "/subscriptions/subId/providers/Microsoft.Network/resourceGroup/myResourceGroup/ipGroups/ipGroups1".into(),
            String::new(),
        ] {
            assert!(!is_resource_id(&bad, "Microsoft.Network", "azureFirewalls"), "{bad}");
        }
    }

    #[test]
    fn a_firewall_ip_configuration_names_its_firewall() {
        for config in [
            format!("{FW}/azureFirewallIpConfigurations/ipconfig1"),
            format!("{FW}/ipConfigurations/azureFirewallIpConfiguration"),
            FW.to_string(),
        ] {
            assert_eq!(
                resource_prefix(&config, "Microsoft.Network", "azureFirewalls").as_deref(),
                Some(FW),
                "{config}"
            );
        }
        let nic =
            "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/n/ipConfigurations/c";
        assert_eq!(resource_prefix(nic, "Microsoft.Network", "azureFirewalls"), None);
        assert_eq!(resource_prefix("/subscriptions/s", "Microsoft.Network", "azureFirewalls"), None);
    }

    #[test]
    fn prefixes_contain_their_addresses_only() {
        assert!(prefix_contains("10.0.1.0/26", "10.0.1.4"));
        assert!(prefix_contains("10.0.1.0/26", "10.0.1.63"));
        assert!(!prefix_contains("10.0.1.0/26", "10.0.1.64"));
        assert!(prefix_contains("0.0.0.0/0", "192.0.2.1"));
        assert!(prefix_contains("10.0.1.4", "10.0.1.4"));
        assert!(prefix_contains("fd00:1::/64", "fd00:1::4"));
        assert!(!prefix_contains("fd00:1::/64", "10.0.1.4"));
        assert!(!prefix_contains("10.0.1.0/33", "10.0.1.4"));
        assert!(!prefix_contains("not-a-prefix", "10.0.1.4"));
        assert!(!prefix_contains("10.0.1.0/24", "10.0.1"));
    }
}
