//! Lenient views of Azure DNS Private Resolver: resolvers with their inbound and outbound endpoints, and DNS
//! forwarding rulesets with their rules and VNet links (`Microsoft.Network` dnsresolver 2022-07-01 examples).

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// `Microsoft.Network/dnsResolvers`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct DnsResolver {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Properties.
    #[serde(default)]
    pub properties: DnsResolverProperties,
}

/// `properties` of a DNS resolver.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DnsResolverProperties {
    /// The VNet the resolver resolves from (its zone links and linked rulesets apply).
    pub virtual_network: Option<SubResource>,
    /// `Connected` / `Disconnected`.
    pub dns_resolver_state: Option<String>,
}

/// `Microsoft.Network/dnsResolvers/inboundEndpoints` (child of a resolver).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct InboundEndpoint {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: InboundEndpointProperties,
}

/// `properties` of an inbound endpoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct InboundEndpointProperties {
    /// The addresses VNets name as their DNS servers.
    pub ip_configurations: Vec<InboundEndpointIpConfiguration>,
}

/// An IP configuration of an inbound endpoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct InboundEndpointIpConfiguration {
    /// Its subnet.
    pub subnet: Option<SubResource>,
    /// Its address (ARM spells it `privateIpAddress` here).
    pub private_ip_address: Option<String>,
    /// `Static` / `Dynamic`.
    pub private_ip_allocation_method: Option<String>,
}

/// `Microsoft.Network/dnsResolvers/outboundEndpoints` (child of a resolver).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct OutboundEndpoint {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: OutboundEndpointProperties,
}

/// `properties` of an outbound endpoint.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct OutboundEndpointProperties {
    /// The subnet forwarded queries leave from.
    pub subnet: Option<SubResource>,
}

/// `Microsoft.Network/dnsForwardingRulesets`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct DnsForwardingRuleset {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Region.
    #[serde(default)]
    pub location: String,
    /// Properties.
    #[serde(default)]
    pub properties: DnsForwardingRulesetProperties,
}

/// `properties` of a forwarding ruleset.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct DnsForwardingRulesetProperties {
    /// The outbound endpoints queries matching a rule are forwarded through.
    pub dns_resolver_outbound_endpoints: Vec<SubResource>,
}

/// `Microsoft.Network/dnsForwardingRulesets/forwardingRules` (child of a ruleset).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct ForwardingRule {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    pub properties: ForwardingRuleProperties,
}

/// `properties` of a forwarding rule. `domainName` is required: without it the rule's reach is unknown.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct ForwardingRuleProperties {
    /// The domain, with its trailing dot (`azurecr.io.`); the longest matching domain wins.
    pub domain_name: String,
    /// Where matching queries go.
    #[serde(default)]
    pub target_dns_servers: Vec<TargetDnsServer>,
    /// `Enabled` / `Disabled`.
    #[serde(default)]
    pub forwarding_rule_state: Option<String>,
}

/// `{"ipAddress": "10.0.0.1", "port": 53}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct TargetDnsServer {
    /// Address.
    pub ip_address: Option<String>,
    /// Port (53 by default).
    pub port: Option<u32>,
}

/// `Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks` (child of a ruleset).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RulesetVirtualNetworkLink {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: RulesetVirtualNetworkLinkProperties,
}

/// `properties` of a ruleset link.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct RulesetVirtualNetworkLinkProperties {
    /// The VNet whose Azure DNS queries the ruleset's rules apply to.
    pub virtual_network: Option<SubResource>,
}
