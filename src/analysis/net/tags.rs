//! Address resolution: NSG and route prefixes (CIDRs, addresses, service tags) to [`IpSet`]s.
//!
//! Service tags come from the snapshot's Service Tags API responses. Tags Azure defines per VNet are computed:
//! - `VirtualNetwork`: the VNet's address space plus the address spaces of its `Connected` peerings;
//! - `Internet`: every address outside `VirtualNetwork`, the private ranges (RFC 1918, 100.64.0.0/10) and
//!   Azure's platform address 168.63.129.16;
//! - `AzureLoadBalancer`: 168.63.129.16; `*`, `Any`: everything, both address families.
//!
//! Sets hold both address families ([`IpSet`]): a service tag keeps its IPv4 and IPv6 prefixes, an IPv6
//! prefix in a rule resolves to IPv6 addresses (never "unknown"), and each path then judges the family it is
//! evaluated for. `Internet` for IPv6 is every IPv6 address outside `VirtualNetwork`.
//!
//! A tag the snapshot does not carry resolves to `None` (unknown), never to an empty set: an unknown answer
//! must not turn into "no rule matches".

use super::ipset::IpSet;
use crate::analysis::facts::PeeringState;
use crate::model::{Model, VirtualNetwork};
use std::collections::HashMap;

/// Azure's platform (wire server / health probe) address.
pub const AZURE_PLATFORM_IP: &str = "168.63.129.16/32";

/// Private ranges that are not `Internet`.
const PRIVATE_RANGES: [&str; 4] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/// Resolves prefix texts to address sets; service tags are resolved once and cached.
pub struct AddressResolver<'m> {
    model: &'m Model,
    tags: HashMap<String, IpSet>,
}

/// The address context of one VNet (for `VirtualNetwork` and `Internet`).
#[derive(Debug, Clone)]
pub struct VnetContext {
    /// `VirtualNetwork` for this VNet.
    pub virtual_network: IpSet,
    /// `Internet` for this VNet.
    pub internet: IpSet,
}

impl VnetContext {
    /// Context of a VNet as the snapshot describes it.
    pub fn of(vnet: Option<&VirtualNetwork>) -> VnetContext {
        let mut space = IpSet::empty();
        if let Some(v) = vnet {
            for p in &v.properties.address_space.address_prefixes {
                if let Some(s) = IpSet::parse_prefix(p) {
                    space = space.union(&s);
                }
            }
            for peering in &v.properties.virtual_network_peerings {
                let connected = peering.properties.peering_state.as_deref().map(PeeringState::parse)
                    == Some(PeeringState::Connected);
                let remote = peering.properties.remote_address_space.as_ref();
                for p in remote.filter(|_| connected).map(|r| r.address_prefixes.as_slice()).unwrap_or(&[]) {
                    if let Some(s) = IpSet::parse_prefix(p) {
                        space = space.union(&s);
                    }
                }
            }
        }
        let mut not_internet = space.clone();
        for p in PRIVATE_RANGES.iter().chain(std::iter::once(&AZURE_PLATFORM_IP)) {
            if let Some(s) = IpSet::parse_prefix(p) {
                not_internet = not_internet.union(&s);
            }
        }
        VnetContext { internet: IpSet::all().difference(&not_internet), virtual_network: space }
    }
}

impl<'m> AddressResolver<'m> {
    /// A resolver over the snapshot's service tags.
    pub fn new(model: &'m Model) -> AddressResolver<'m> {
        AddressResolver { model, tags: HashMap::new() }
    }

    /// Resolve one prefix text in a VNet context. `None`: unknown (a tag the snapshot lacks).
    pub fn resolve(&mut self, text: &str, ctx: &VnetContext) -> Option<IpSet> {
        let t = text.trim();
        match t.to_ascii_lowercase().as_str() {
            "*" | "any" => return Some(IpSet::all()),
            "virtualnetwork" => return Some(ctx.virtual_network.clone()),
            "internet" => return Some(ctx.internet.clone()),
            "azureloadbalancer" => return IpSet::parse_prefix(AZURE_PLATFORM_IP),
            _ => {}
        }
        if let Some(s) = IpSet::parse_prefix(t) {
            return Some(s);
        }
        self.service_tag(t)
    }

    /// Resolve several prefix texts; `None` if any is unknown.
    pub fn resolve_all<'a>(&mut self, texts: impl IntoIterator<Item = &'a str>, ctx: &VnetContext) -> Option<IpSet> {
        let mut out = IpSet::empty();
        for t in texts {
            out = out.union(&self.resolve(t, ctx)?);
        }
        Some(out)
    }

    /// A named service tag's prefixes, both families, from the snapshot.
    pub fn service_tag(&mut self, name: &str) -> Option<IpSet> {
        let key = name.to_ascii_lowercase();
        if let Some(s) = self.tags.get(&key) {
            return Some(s.clone());
        }
        let tag = self.model.service_tag(name)?;
        let set = tag
            .properties
            .address_prefixes
            .iter()
            .filter_map(|p| IpSet::parse_prefix(p))
            .fold(IpSet::empty(), |acc, s| acc.union(&s));
        self.tags.insert(key, set.clone());
        Some(set)
    }

    /// The regional tag of a service, e.g. (`Storage`, `eastus`) -> `Storage.EastUS` as the snapshot spells it.
    pub fn regional_tag_name(&self, service: &str, region: &str) -> Option<String> {
        let prefix = format!("{}.", service.to_ascii_lowercase());
        self.model
            .service_tags
            .iter()
            .find(|t| {
                let name = t.name.to_ascii_lowercase();
                name.starts_with(&prefix)
                    && (t.properties.region.as_deref().map(|r| r.eq_ignore_ascii_case(region)).unwrap_or(false)
                        || name[prefix.len()..] == region.to_ascii_lowercase())
            })
            .map(|t| t.name.clone())
    }
}
