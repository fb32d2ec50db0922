//! The custom DNS chain: from a VNet's DNS server address to the VNet whose Azure DNS answers, hop by hop.
//!
//! A VNet's `dhcpOptions.dnsServers` are bare addresses. What answers there decides where the registry's name is
//! resolved ([`Responders`] tells what holds an address):
//! - a **DNS Private Resolver inbound endpoint** resolves with Azure DNS in the resolver's VNet: a forwarding
//!   ruleset linked to that VNet processes the query first ("If a ruleset is linked to the Hub, all DNS traffic
//!   sent to the inbound endpoint is processed by the ruleset"), then the private DNS zones linked to the VNet
//!   answer (<https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets#inbound-endpoints>,
//!   <https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets#inbound-endpoints-as-custom-dns>);
//! - a **forwarding rule** applies when its dot-terminated `domainName` matches the name, the longest match
//!   winning, disabled rules ignored; the query goes to the rule's first target "unless it doesn't respond"
//!   (<https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets#rules>). The registry name is
//!   asked first (`contoso.azurecr.io`), then, when Azure DNS follows its public CNAME, the privatelink name
//!   (`contoso.privatelink.azurecr.io`), so a rule for either `azurecr.io.` or `privatelink.azurecr.io.` sends the
//!   query on. A wildcard rule (`.`) is ignored for these names: Azure reserves the domains its private
//!   endpoint DNS article lists, `azurecr.io` among them
//!   (<https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets#rule-processing>). A rule
//!   whose targets lead back to a server already on the chain is a resolution loop, which the same article warns
//!   of: the name does not resolve;
//! - an **Azure Firewall** answers only with its DNS proxy on (off by default); it then forwards to its DNS
//!   servers, picking one at random when there are several, or to Azure DNS from its own VNet. Policy DNS
//!   settings override the firewall's own, and a child policy inherits its parent's unless it sets its own
//!   (<https://learn.microsoft.com/azure/firewall/dns-settings>). A firewall without a policy keeps them in
//!   `additionalProperties` (`Network.DNS.EnableProxy`, `Network.DNS.Servers`, comma-separated);
//! - a **NIC** (a DNS VM): its DNS software is not in ARM; the chain assumes it forwards to Azure DNS from its
//!   own VNet, the documented set-up for VMs resolving private zones
//!   (<https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration#virtual-network-and-on-premises-workloads-using-a-dns-forwarder>),
//!   and says so in the hop's `note`;
//! - **anything else**: an address in no VNet of the snapshot is on-premises or elsewhere (`unknown`); an address
//!   in a VNet whose subscription was not scanned or not fully read, or in a subnet holding something the
//!   snapshot does not read (a load balancer frontend), is `unknown`; only an address nothing can hold is
//!   `nothing`.

use super::private_zones::{azure_dns, describe, Query};
use crate::analysis::facts::{DnsAnswer, DnsChain, DnsChainHop, DnsFacts, DnsResponder, DnsStatus};
use crate::analysis::responders::{prefixes_hold, vnet_holding, Responder, Responders};
use crate::model::{id_key, parse_resource_id, vnet_key_of_subnet, AzureFirewall, ForwardingRule, Model};
use std::net::IpAddr;

/// Azure-provided DNS, as a VNet names it (<https://learn.microsoft.com/azure/virtual-network/what-is-ip-address-168-63-129-16>).
pub(super) const AZURE_DNS: &str = "168.63.129.16";
/// Servers followed before the chain is called too long to judge.
const MAX_HOPS: usize = 8;

/// Types whose failed read (in an address's subscription) may hide what holds the address.
const HOLDER_TYPES: &[&str] = &[
    "Microsoft.Network/networkInterfaces",
    "Microsoft.Network/azureFirewalls",
    "Microsoft.Network/dnsResolvers",
    "Microsoft.Network/dnsResolvers/inboundEndpoints",
    "Microsoft.Network/virtualNetworks",
];
const RULESETS_TYPE: &str = "Microsoft.Network/dnsForwardingRulesets";
const RULES_TYPE: &str = "Microsoft.Network/dnsForwardingRulesets/forwardingRules";
const RULESET_LINKS_TYPE: &str = "Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks";
const POLICIES_TYPE: &str = "Microsoft.Network/firewallPolicies";

/// How a chain ends.
#[derive(Debug, Clone)]
pub(super) enum End {
    /// Azure DNS in a VNet answered (its status may still be `unknown` when a zone could not be read).
    Resolved(Box<DnsFacts>),
    /// The chain leaves what the snapshot shows, or hinges on something unread: why.
    Unknown(String),
    /// Nothing answers: why.
    Nothing(String),
}

/// One chain: the servers asked and how it ended.
#[derive(Debug, Clone)]
pub(super) struct Walk {
    /// The hops, the client's server first.
    pub hops: Vec<DnsChainHop>,
    /// The end.
    pub end: End,
}

impl Walk {
    /// The server the chain starts at.
    pub fn server(&self) -> &str {
        self.hops.first().map(|h| h.server.as_str()).unwrap_or(AZURE_DNS)
    }

    /// The chain as facts.
    pub fn to_chain(&self) -> DnsChain {
        let mut chain = DnsChain {
            server: self.server().to_string(),
            hops: self.hops.clone(),
            status: DnsStatus::Unknown,
            answer: DnsAnswer::Unknown,
            resolved_in: None,
            zone: None,
            addresses: vec![],
            cause: None,
        };
        match &self.end {
            End::Resolved(f) => {
                chain.status = f.status;
                chain.answer = f.answer;
                chain.resolved_in = f.resolved_in.clone();
                chain.zone = f.zone.clone();
                chain.addresses = f.addresses.clone();
                chain.cause = f.cause.clone();
            }
            End::Unknown(c) => chain.cause = Some(c.clone()),
            End::Nothing(c) => {
                chain.status = DnsStatus::NoAnswer;
                chain.answer = DnsAnswer::NoAnswer;
                chain.cause = Some(c.clone());
            }
        }
        chain
    }
}

/// Follows DNS chains for one query.
pub(super) struct Walker<'q, 'm> {
    model: &'m Model,
    responders: &'q Responders<'m>,
    query: &'q Query<'q>,
}

impl<'q, 'm> Walker<'q, 'm> {
    /// A walker for `query`.
    pub fn new(model: &'m Model, responders: &'q Responders<'m>, query: &'q Query<'q>) -> Walker<'q, 'm> {
        Walker { model, responders, query }
    }

    /// The client VNet uses Azure-provided DNS: its linked rulesets, then its zone links.
    pub fn azure_dns_of_client(&self, vnet_key: &str) -> Vec<Walk> {
        self.azure_dns_in(vnet_key, hop(AZURE_DNS, DnsResponder::AzureDns), &[])
    }

    /// The chains from one of the client VNet's DNS servers.
    pub fn ask_from_client(&self, server: &str, vnet_key: &str) -> Vec<Walk> {
        self.ask(server, Some(vnet_key), &[])
    }

    /// The chains from asking `server`, from the VNet `from_vnet` when known (where 168.63.129.16 answers).
    fn ask(&self, server: &str, from_vnet: Option<&str>, path: &[DnsChainHop]) -> Vec<Walk> {
        let server = server.trim();
        let walk = |h: DnsChainHop, end: End| {
            let mut hops = path.to_vec();
            hops.push(h);
            vec![Walk { hops, end }]
        };
        if path.len() >= MAX_HOPS {
            let cause = format!("the chain is longer than {MAX_HOPS} servers; acr-audit stops following it");
            return walk(hop(server, DnsResponder::Unknown), End::Unknown(cause));
        }
        if server == AZURE_DNS {
            return match from_vnet {
                Some(v) => self.azure_dns_in(v, hop(server, DnsResponder::AzureDns), path),
                None => walk(
                    hop(server, DnsResponder::Unknown),
                    End::Unknown("168.63.129.16 is asked from a VNet the snapshot does not name".into()),
                ),
            };
        }
        if let Some(i) = path.iter().position(|h| same_address(&h.server, server)) {
            let mut servers: Vec<&str> = path[i..].iter().map(|h| h.server.as_str()).collect();
            servers.push(server);
            let cause = format!("forwarding loop: {} (the query never reaches an answer)", servers.join(" → "));
            let mut h = hop(server, DnsResponder::Nothing);
            h.note = Some("a server already on this chain: the query loops".into());
            return walk(h, End::Nothing(cause));
        }
        match self.responders.at(server) {
            Some(Responder::ResolverInbound { resolver, endpoint }) => {
                let mut h = hop(server, DnsResponder::ResolverInbound);
                h.resource = Some(endpoint.id.clone()).filter(|i| !i.is_empty());
                h.configured_by = Some(resolver.id.clone());
                match resolver.properties.virtual_network.as_ref() {
                    Some(v) => self.azure_dns_in(&id_key(&v.id), h, path),
                    None => walk(
                        h,
                        End::Unknown(format!(
                            "resolver {} names no virtualNetwork: where it resolves is unknown",
                            resolver.id
                        )),
                    ),
                }
            }
            Some(Responder::AzureFirewall(fw)) => self.firewall(server, fw, path),
            Some(Responder::Nic(nic)) => {
                let mut h = hop(server, DnsResponder::DnsVm);
                h.resource = Some(nic.id.clone());
                h.note = Some(
                    "assumed: the VM's DNS server forwards to Azure DNS (168.63.129.16) from its own VNet; its forwarders are not in ARM"
                        .into(),
                );
                let vnet = nic
                    .properties
                    .ip_configurations
                    .iter()
                    .filter(|c| c.properties.private_ip_address.as_deref().is_some_and(|a| same_address(a, server)))
                    .find_map(|c| c.properties.subnet.as_ref())
                    .and_then(|s| vnet_key_of_subnet(&s.id));
                match vnet {
                    Some(v) => self.azure_dns_in(&v, h, path),
                    None => walk(h, End::Unknown(format!("NIC {} names no subnet for {server}", nic.id))),
                }
            }
            None => {
                let (responder, end, vnet) = self.place(server);
                let mut h = hop(server, responder);
                h.vnet = vnet;
                walk(h, end)
            }
        }
    }

    /// An Azure Firewall at `server`: its DNS proxy forwards, or nothing answers.
    fn firewall(&self, server: &str, fw: &AzureFirewall, path: &[DnsChainHop]) -> Vec<Walk> {
        let mut h = hop(server, DnsResponder::FirewallProxy);
        h.resource = Some(fw.id.clone());
        let settings = match firewall_dns(self.model, fw) {
            Ok(s) => s,
            Err(cause) => {
                h.responder = DnsResponder::Unknown;
                let mut hops = path.to_vec();
                hops.push(h);
                return vec![Walk { hops, end: End::Unknown(cause) }];
            }
        };
        h.configured_by = settings.source.clone();
        // The VNet of the firewall's `AzureFirewallSubnet`: where it asks Azure DNS.
        let vnet = fw
            .properties
            .ip_configurations
            .iter()
            .find_map(|c| c.properties.subnet.as_ref())
            .and_then(|s| vnet_key_of_subnet(&s.id));
        if !settings.proxy {
            h.responder = DnsResponder::Nothing;
            h.note = Some("DNS proxy is off: the firewall does not answer DNS queries".into());
            let mut hops = path.to_vec();
            hops.push(h);
            let cause = format!(
                "{server} is Azure Firewall {} with its DNS proxy off{}: it answers no DNS query",
                fw.name,
                settings
                    .source
                    .as_deref()
                    .map(|s| format!(" (DNS settings of policy {})", s.rsplit('/').next().unwrap_or(s)))
                    .unwrap_or_default()
            );
            return vec![Walk { hops, end: End::Nothing(cause) }];
        }
        if settings.servers.is_empty() {
            h.note = Some("DNS proxy on, no custom servers: the firewall forwards to Azure DNS from its VNet".into());
            return match vnet {
                Some(v) => self.azure_dns_in(&v, h, path),
                None => {
                    let mut hops = path.to_vec();
                    hops.push(h);
                    let cause =
                        format!("firewall {} is in no VNet subnet the snapshot names (a Virtual WAN hub?)", fw.id);
                    vec![Walk { hops, end: End::Unknown(cause) }]
                }
            };
        }
        h.forwarded_to = settings.servers.clone();
        h.note = Some("DNS proxy on: the firewall forwards to one of its DNS servers, chosen at random".into());
        let mut next = path.to_vec();
        next.push(h);
        // Each server may be the one picked: every one is a chain of its own.
        // (168.63.129.16 among them is Azure DNS from the firewall's VNet.)
        settings.servers.iter().flat_map(|s| self.ask(s, vnet.as_deref(), &next)).collect()
    }

    /// Azure DNS in the VNet `vnet_key`, reached through `h`: a matching forwarding rule of a ruleset linked to the
    /// VNet sends the query on; otherwise the VNet's zone links answer.
    fn azure_dns_in(&self, vnet_key: &str, mut h: DnsChainHop, path: &[DnsChainHop]) -> Vec<Walk> {
        h.vnet = Some(self.model.virtual_network(vnet_key).map(|v| v.id.clone()).unwrap_or_else(|| vnet_key.into()));
        let mut hops = path.to_vec();
        let rule = match self.forwarding_rule(vnet_key) {
            Ok(r) => r,
            Err(cause) => {
                hops.push(h);
                return vec![Walk { hops, end: End::Unknown(cause) }];
            }
        };
        if let Some(note) = rule.note {
            h.note = Some(match h.note.take() {
                Some(n) => format!("{n}; {note}"),
                None => note,
            });
        }
        let Some((ruleset, r)) = rule.rule else {
            let facts = azure_dns(self.model, vnet_key, self.query);
            h.zone = facts.zone.clone();
            h.link = facts.link.clone();
            hops.push(h);
            return vec![Walk { hops, end: End::Resolved(Box::new(facts)) }];
        };
        h.forwarding_rule =
            Some(if r.id.is_empty() { format!("{ruleset}/forwardingRules/{}", r.name) } else { r.id.clone() });
        h.forwarding_domain = Some(r.properties.domain_name.clone());
        let targets: Vec<String> =
            r.properties.target_dns_servers.iter().filter_map(|t| t.ip_address.clone()).collect();
        h.forwarded_to = r
            .properties
            .target_dns_servers
            .iter()
            .filter_map(|t| {
                let ip = t.ip_address.as_deref()?;
                Some(match t.port {
                    Some(p) if p != 53 => format!("{ip}:{p}"),
                    _ => ip.to_string(),
                })
            })
            .collect();
        hops.push(h);
        if targets.is_empty() {
            let cause = format!("forwarding rule {} has no target DNS servers", r.name);
            return vec![Walk { hops, end: End::Nothing(cause) }];
        }
        // The first target answers unless it does not respond; then the next one does.
        let mut last = Vec::new();
        for target in &targets {
            let walks = self.ask(target, None, &hops);
            if !walks.iter().all(|w| matches!(w.end, End::Nothing(_))) {
                return walks;
            }
            last.extend(walks);
        }
        last
    }

    /// The forwarding rule a ruleset linked to `vnet_key` applies to the query, if any; an error when a ruleset
    /// that may be linked could not be read.
    fn forwarding_rule(&self, vnet_key: &str) -> Result<RuleMatch<'m>, String> {
        let model = self.model;
        // A ruleset in any subscription may be linked to the VNet (hub rulesets are linked to spokes in other
        // subscriptions), so a ruleset or ruleset-link list that could not be read anywhere leaves it unknown.
        for e in &model.errors {
            let unread_rulesets = e.resource_type.eq_ignore_ascii_case(RULESETS_TYPE);
            let unread_links = e.resource_type.eq_ignore_ascii_case(RULESET_LINKS_TYPE);
            if unread_rulesets || unread_links {
                return Err(format!(
                    "the forwarding rulesets {} could not be read ({}): one may be linked to VNet {vnet_key}; the scanning identity needs {}/read there",
                    e.scope,
                    describe(e),
                    e.resource_type
                ));
            }
        }
        let mut out = RuleMatch { rule: None, note: None };
        let mut best: Option<(usize, usize, &'m str, &'m ForwardingRule)> = None; // (name order, labels, ruleset, rule)
        for ruleset in &model.dns_forwarding_rulesets {
            let linked = model
                .ruleset_links(&ruleset.id)
                .unwrap_or_default()
                .iter()
                .any(|l| l.properties.virtual_network.as_ref().map(|v| id_key(&v.id) == vnet_key).unwrap_or(false));
            if !linked {
                continue;
            }
            if let Some(e) = model.errors.iter().find(|e| {
                e.resource_type.eq_ignore_ascii_case(RULES_TYPE) && id_key(&ruleset.id).starts_with(&id_key(&e.scope))
            }) {
                return Err(format!(
                    "the forwarding rules of ruleset {}, linked to VNet {vnet_key}, could not be read ({}); the scanning identity needs {RULES_TYPE}/read there",
                    ruleset.id,
                    describe(e)
                ));
            }
            for rule in model.forwarding_rules(&ruleset.id).unwrap_or_default() {
                let enabled = rule
                    .properties
                    .forwarding_rule_state
                    .as_deref()
                    .map(|s| !s.eq_ignore_ascii_case("Disabled"))
                    .unwrap_or(true);
                if !enabled {
                    continue;
                }
                let domain = normalise_domain(&rule.properties.domain_name);
                if domain == "." {
                    if out.note.is_none() {
                        out.note = Some(format!(
                            "wildcard rule {} is ignored for {}: Azure reserves the azurecr.io domains for its own resolution",
                            rule.name, self.query.fqdn
                        ));
                    }
                    continue;
                }
                let names = [self.query.fqdn, self.query.private_name.as_str()];
                let Some(order) = names.iter().position(|n| domain_matches(n, &domain)) else { continue };
                let labels = domain.trim_end_matches('.').split('.').count();
                let better = match best {
                    None => true,
                    Some((o, l, _, _)) => order < o || (order == o && labels > l),
                };
                if better {
                    best = Some((order, labels, ruleset.id.as_str(), rule));
                }
            }
        }
        out.rule = best.map(|(_, _, rs, r)| (rs, r));
        Ok(out)
    }

    /// An address no responder holds: on-premises (`unknown`), hidden by an unread scope (`unknown`), or nothing.
    fn place(&self, server: &str) -> (DnsResponder, End, Option<String>) {
        let model = self.model;
        let Ok(ip) = server.parse::<IpAddr>() else {
            return (DnsResponder::Unknown, End::Unknown(format!("{server} is not an IP address")), None);
        };
        let Some(vnet) = vnet_holding(model, ip) else {
            let unread_vnets =
                model.errors.iter().any(|e| e.resource_type.eq_ignore_ascii_case("Microsoft.Network/virtualNetworks"));
            let cause = format!(
                "{server} is in no VNet of the snapshot: an on-premises or other DNS server, whose forwarding ARM does not show{}",
                if unread_vnets { ", or in a VNet that could not be read" } else { "" }
            );
            return (DnsResponder::Unknown, End::Unknown(cause), None);
        };
        let vnet_id = Some(vnet.id.clone());
        let subscription = parse_resource_id(&vnet.id).subscription.unwrap_or_default();
        let scanned =
            model.metadata.subscriptions.iter().any(|s| s.subscription_id.eq_ignore_ascii_case(&subscription));
        if !scanned {
            let cause = format!(
                "{server} is in VNet {} of subscription {subscription}, which was not scanned: what holds the address is unknown",
                vnet.name
            );
            return (DnsResponder::Unknown, End::Unknown(cause), vnet_id);
        }
        let sub_scope = format!("/subscriptions/{}", subscription.to_ascii_lowercase());
        if let Some(e) = model.errors.iter().find(|e| {
            HOLDER_TYPES.iter().any(|t| e.resource_type.eq_ignore_ascii_case(t))
                && id_key(&e.scope).starts_with(&sub_scope)
        }) {
            let cause = format!(
                "{server} is in VNet {}, but {} under {} could not be read ({}): what holds the address is unknown",
                vnet.name,
                e.resource_type,
                e.scope,
                describe(e)
            );
            return (DnsResponder::Unknown, End::Unknown(cause), vnet_id);
        }
        let subnet = vnet.properties.subnets.iter().find(|s| {
            let p = &s.properties;
            prefixes_hold(p.address_prefix.iter().chain(&p.address_prefixes), ip)
        });
        let Some(subnet) = subnet else {
            let cause =
                format!("{server} is in VNet {} but in none of its subnets: nothing can answer there", vnet.name);
            return (DnsResponder::Nothing, End::Nothing(cause), vnet_id);
        };
        if let Some(unread) = subnet.properties.ip_configurations.iter().find(|c| !self.readable_holder(&c.id)) {
            let cause = format!(
                "{server} is in subnet {}, which holds {}: the snapshot does not read what sits there (a load balancer in front of DNS servers?)",
                subnet.name, unread.id
            );
            return (DnsResponder::Unknown, End::Unknown(cause), vnet_id);
        }
        let cause = format!(
            "no Azure Firewall, resolver inbound endpoint or VM NIC holds {server} in subnet {} of VNet {} (its subscription was read without errors): nothing answers DNS there",
            subnet.name, vnet.name
        );
        (DnsResponder::Nothing, End::Nothing(cause), vnet_id)
    }

    /// An IP configuration id the snapshot reads by address: a NIC it holds, a firewall it holds, a resolver
    /// inbound endpoint.
    fn readable_holder(&self, ip_configuration_id: &str) -> bool {
        let key = id_key(ip_configuration_id);
        let parent = |marker: &str| {
            key.find(marker).map(|i| {
                let rest = &key[i + marker.len()..];
                let end = rest.find('/').map(|j| i + marker.len() + j).unwrap_or(key.len());
                key[..end].to_string()
            })
        };
        if let Some(nic) = parent("/providers/microsoft.network/networkinterfaces/") {
            return self.model.network_interface(&nic).is_some();
        }
        if let Some(fw) = parent("/providers/microsoft.network/azurefirewalls/") {
            return self.model.azure_firewall(&fw).is_some();
        }
        if let Some(resolver) = parent("/providers/microsoft.network/dnsresolvers/") {
            return self.model.dns_resolver(&resolver).is_some();
        }
        false
    }
}

/// The rule chosen in a VNet, and a note on rules passed over.
struct RuleMatch<'m> {
    rule: Option<(&'m str, &'m ForwardingRule)>,
    note: Option<String>,
}

/// A firewall's DNS settings in force.
struct FirewallDns {
    proxy: bool,
    servers: Vec<String>,
    /// The policy they come from, if any.
    source: Option<String>,
}

/// The DNS settings in force on a firewall: its policy's (inherited from the base policy when the policy sets
/// none), or its own `additionalProperties`. An error when a policy they depend on could not be read.
fn firewall_dns(model: &Model, fw: &AzureFirewall) -> Result<FirewallDns, String> {
    let Some(policy_ref) = fw.properties.firewall_policy.as_ref() else {
        let get = |key: &str| {
            fw.properties
                .additional_properties
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(key))
                .map(|(_, v)| v.as_str())
        };
        let proxy = get("Network.DNS.EnableProxy").map(|v| v.trim().eq_ignore_ascii_case("true")).unwrap_or(false);
        let servers = get("Network.DNS.Servers")
            .map(|v| v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect())
            .unwrap_or_default();
        return Ok(FirewallDns { proxy, servers, source: None });
    };
    let mut id = policy_ref.id.clone();
    let mut seen: Vec<String> = Vec::new();
    loop {
        let Some(policy) = model.firewall_policy(&id) else {
            let why = model
                .errors
                .iter()
                .find(|e| {
                    e.resource_type.eq_ignore_ascii_case(POLICIES_TYPE) && id_key(&id).starts_with(&id_key(&e.scope))
                })
                .map(|e| format!("could not be read ({})", describe(e)))
                .unwrap_or_else(|| "is not in the snapshot".into());
            return Err(format!(
                "firewall policy {id}, whose DNS settings decide whether firewall {} answers DNS, {why}; the scanning identity needs {POLICIES_TYPE}/read there",
                fw.name
            ));
        };
        if let Some(dns) = &policy.properties.dns_settings {
            return Ok(FirewallDns {
                proxy: dns.enable_proxy.unwrap_or(false),
                servers: dns.servers.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect(),
                source: Some(policy.id.clone()),
            });
        }
        seen.push(id_key(&id));
        match policy.properties.base_policy.as_ref() {
            Some(base) if !seen.contains(&id_key(&base.id)) => id = base.id.clone(),
            // No DNS settings anywhere up the hierarchy: the defaults, proxy off and Azure DNS.
            _ => return Ok(FirewallDns { proxy: false, servers: vec![], source: Some(policy_ref.id.clone()) }),
        }
    }
}

/// A chain hop with only its server and responder set.
fn hop(server: &str, responder: DnsResponder) -> DnsChainHop {
    DnsChainHop {
        server: server.to_string(),
        responder,
        resource: None,
        configured_by: None,
        vnet: None,
        forwarding_rule: None,
        forwarding_domain: None,
        forwarded_to: vec![],
        zone: None,
        link: None,
        note: None,
    }
}

/// Two textual addresses are the same address.
fn same_address(a: &str, b: &str) -> bool {
    match (a.trim().parse::<IpAddr>(), b.trim().parse::<IpAddr>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a.trim().eq_ignore_ascii_case(b.trim()),
    }
}

/// A rule's domain, lower-cased and dot-terminated.
fn normalise_domain(domain: &str) -> String {
    let d = domain.trim().to_ascii_lowercase();
    if d.ends_with('.') {
        d
    } else {
        format!("{d}.")
    }
}

/// `name` is `domain` or below it (`domain` dot-terminated).
fn domain_matches(name: &str, domain: &str) -> bool {
    let name = normalise_domain(name);
    name == domain || name.ends_with(&format!(".{domain}"))
}

#[cfg(test)]
#[path = "dns_chain_tests.rs"]
mod tests;
