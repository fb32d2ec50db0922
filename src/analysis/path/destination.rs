//! The destination hop: the addresses traffic is sent to once the name is resolved — the private endpoint's
//! IP, or for a public answer every prefix of the endpoint's regional service tag (`AzureContainerRegistry.EastUS`,
//! `Storage.EastUS`), since a public name can resolve to any of them.
//!
//! Public endpoints are IPv4: a registry's public endpoints answer over IPv6 only when its endpoint protocol is
//! set to `IPv4AndIPv6` (a preview the snapshot does not carry), and private endpoints are IPv4 only
//! (<https://learn.microsoft.com/azure/container-registry/container-registry-ipv6-dual-stack>). So a service
//! tag destination keeps the tag's IPv4 prefixes; its IPv6 prefixes are not a destination.

use super::{Judgement, PathContext};
use crate::analysis::facts::{AddressFamily, DestinationFacts, DestinationKind, DnsFacts, DnsStatus, Endpoint};
use crate::analysis::net::ipset::IpSet;
use std::net::Ipv4Addr;

/// The destination facts and the address set the later hops (routes, NSGs) judge.
pub(super) fn hop(ctx: &mut PathContext<'_, '_>, dns: &DnsFacts, endpoint: &Endpoint) -> (DestinationFacts, IpSet) {
    let facts = |kind, tag: Option<String>, set: &IpSet| DestinationFacts {
        kind,
        service_tag: tag,
        addresses: set.len(),
        examples: set.examples(5),
    };
    match dns.status {
        DnsStatus::Private => {
            let set = dns
                .addresses
                .iter()
                .filter_map(|a| a.parse::<Ipv4Addr>().ok())
                .fold(IpSet::empty(), |acc, a| acc.union(&IpSet::from_addr(a)));
            (facts(DestinationKind::PrivateIp, None, &set), set)
        }
        DnsStatus::Nxdomain | DnsStatus::NoAnswer => {
            (facts(DestinationKind::None, None, &IpSet::empty()), IpSet::empty())
        }
        // The answer hinges on a zone that could not be read: nobody knows where the traffic goes.
        DnsStatus::Unknown => (facts(DestinationKind::Unknown, None, &IpSet::empty()), IpSet::empty()),
        _ => {
            let resolver = &mut *ctx.resolver;
            let tag = resolver.regional_tag_name(endpoint.service.as_str(), &endpoint.region);
            match tag.as_deref().and_then(|t| resolver.service_tag(t)).map(|s| s.family(AddressFamily::Ipv4)) {
                Some(set) if !set.is_empty() => (facts(DestinationKind::ServiceTag, tag, &set), set),
                _ => {
                    let named = tag.unwrap_or_else(|| format!("{}.{}", endpoint.service, endpoint.region));
                    (facts(DestinationKind::Unknown, Some(named), &IpSet::empty()), IpSet::empty())
                }
            }
        }
    }
}

/// The destination facts of one address family's path: the same kind and tag, counting that family's part.
pub(super) fn of_family(destination: &DestinationFacts, part: &IpSet) -> DestinationFacts {
    DestinationFacts {
        kind: destination.kind,
        service_tag: destination.service_tag.clone(),
        addresses: part.len(),
        examples: part.examples(5),
    }
}

/// A destination the snapshot cannot name (a service tag it lacks, a DNS answer that could not be read) leaves
/// the whole path unknown.
pub(super) fn judge(destination: &DestinationFacts) -> Judgement {
    match destination.kind {
        DestinationKind::Unknown => Judgement::Unknown,
        _ => Judgement::Pass,
    }
}
