//! Lenient views of Azure Firewall and what configures it: the firewall (classic rule collections, IP
//! configurations, the policy it uses), firewall policies with their rule collection groups, and IP groups.
//!
//! Shapes follow the `Microsoft.Network` 2024-05-01 examples (`AzureFirewallGet.json`,
//! `FirewallPolicyRuleCollectionGroupGet.json`, `IpGroupsGet.json`). Priorities and a rule collection's kind
//! decide the order rules are met in, so they are required: a snapshot missing them is refused with the JSON
//! path rather than evaluated in a wrong order.

use super::common::SubResource;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `Microsoft.Network/azureFirewalls`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct AzureFirewall {
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
    pub properties: AzureFirewallProperties,
}

/// `properties` of an Azure Firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AzureFirewallProperties {
    /// `AZFW_VNet` (in a VNet's `AzureFirewallSubnet`) or `AZFW_Hub` (in a Virtual WAN hub); tier `Basic`,
    /// `Standard`, `Premium`.
    pub sku: Option<AzureFirewallSku>,
    /// The data-path IP configurations: private address, subnet, public IP (the SNAT addresses).
    pub ip_configurations: Vec<AzureFirewallIpConfiguration>,
    /// The management IP configuration (forced tunnelling): not a data-path address.
    pub management_ip_configuration: Option<AzureFirewallIpConfiguration>,
    /// The firewall policy in force; when set, classic rule collections are not used.
    pub firewall_policy: Option<SubResource>,
    /// Classic application rule collections (firewalls without a policy).
    pub application_rule_collections: Vec<ClassicApplicationRuleCollection>,
    /// Classic network rule collections (firewalls without a policy).
    pub network_rule_collections: Vec<ClassicNetworkRuleCollection>,
    /// Addresses of a Virtual WAN hub firewall.
    #[serde(rename = "hubIPAddresses")]
    pub hub_ip_addresses: Option<HubIpAddresses>,
    /// Classic settings such as `Network.DNS.EnableProxy` and `Network.DNS.Servers`.
    pub additional_properties: BTreeMap<String, String>,
}

/// `sku` of an Azure Firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct AzureFirewallSku {
    /// `AZFW_VNet` / `AZFW_Hub`.
    pub name: Option<String>,
    /// `Basic` / `Standard` / `Premium`.
    pub tier: Option<String>,
}

/// An IP configuration of an Azure Firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct AzureFirewallIpConfiguration {
    /// Name.
    pub name: String,
    /// ARM id.
    pub id: String,
    /// Properties.
    pub properties: AzureFirewallIpConfigurationProperties,
}

/// `properties` of a firewall IP configuration.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct AzureFirewallIpConfigurationProperties {
    /// The firewall's private address in `AzureFirewallSubnet` (the next hop spokes route to).
    #[serde(rename = "privateIPAddress")]
    pub private_ip_address: Option<String>,
    /// `AzureFirewallSubnet`.
    pub subnet: Option<SubResource>,
    /// The public IP traffic is source-NATed to.
    #[serde(rename = "publicIPAddress")]
    pub public_ip_address: Option<SubResource>,
}

/// `hubIPAddresses` of a Virtual WAN hub firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct HubIpAddresses {
    /// Public addresses.
    #[serde(rename = "publicIPs")]
    pub public_ips: Option<HubPublicIpAddresses>,
    /// Private address in the hub.
    #[serde(rename = "privateIPAddress")]
    pub private_ip_address: Option<String>,
}

/// `publicIPs` of a hub firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct HubPublicIpAddresses {
    /// The addresses.
    pub addresses: Vec<HubPublicIpAddress>,
    /// How many.
    pub count: Option<u32>,
}

/// One public address of a hub firewall.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct HubPublicIpAddress {
    /// The address.
    pub address: Option<String>,
}

/// Declares a classic rule collection type and its properties for one rule type: concrete types rather than a
/// generic, because a generic field with a default cannot derive its JSON Schema.
macro_rules! classic_rule_collection {
    ($collection:ident, $properties:ident, $rule:ident, $what:literal, $what_type:literal) => {
        #[doc = concat!("A classic ", $what, " rule collection embedded in a firewall.")]
        #[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
        pub struct $collection {
            /// Name.
            #[serde(default)]
            pub name: String,
            /// ARM id.
            #[serde(default)]
            pub id: String,
            /// Properties.
            pub properties: $properties,
        }

        #[doc = concat!("`properties` of a classic ", $what, " rule collection. `priority` and `action` decide the order and the outcome, but the API does not mark them required (`AzureFirewall", $what_type, "RuleCollectionPropertiesFormat`, network 2024-05-01): a collection lacking either is loaded, and the firewall verdict for flows it could decide is `unknown`.")]
        #[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
        #[serde(default)]
        pub struct $properties {
            /// 100 (first) to 65000.
            pub priority: Option<u32>,
            /// `Allow` / `Deny`.
            pub action: Option<RuleAction>,
            /// The rules.
            #[serde(default)]
            pub rules: Vec<$rule>,
        }
    };
}

classic_rule_collection!(
    ClassicApplicationRuleCollection,
    ClassicApplicationRuleCollectionProperties,
    ClassicApplicationRule,
    "application",
    "Application"
);
classic_rule_collection!(
    ClassicNetworkRuleCollection,
    ClassicNetworkRuleCollectionProperties,
    ClassicNetworkRule,
    "network",
    "Network"
);

/// `{"type": "Allow" | "Deny" | "Dnat"}`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RuleAction {
    /// `Allow`, `Deny` (`Dnat` for NAT collections).
    #[serde(rename = "type")]
    pub kind: String,
}

/// A classic application rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ClassicApplicationRule {
    /// Name.
    pub name: String,
    /// `Http:80`, `Https:443`, `Mssql:1433`.
    pub protocols: Box<[ApplicationRuleProtocol]>,
    /// FQDNs, `*` wildcards allowed.
    pub target_fqdns: Box<[String]>,
    /// FQDN tags (`AzureKubernetesService`, `WindowsUpdate`, ...).
    pub fqdn_tags: Box<[String]>,
    /// Source addresses: `*`, addresses, CIDRs, ranges `a-b`.
    pub source_addresses: Box<[String]>,
    /// Source IP groups.
    pub source_ip_groups: Box<[String]>,
}

/// A classic network rule.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ClassicNetworkRule {
    /// Name.
    pub name: String,
    /// `TCP`, `UDP`, `ICMP`, `Any`.
    pub protocols: Box<[String]>,
    /// Source addresses.
    pub source_addresses: Box<[String]>,
    /// Source IP groups.
    pub source_ip_groups: Box<[String]>,
    /// Destination addresses: `*`, addresses, CIDRs, ranges, service tags.
    pub destination_addresses: Box<[String]>,
    /// Destination IP groups.
    pub destination_ip_groups: Box<[String]>,
    /// Destination FQDNs (need the DNS proxy).
    pub destination_fqdns: Box<[String]>,
    /// Ports and ranges.
    pub destination_ports: Box<[String]>,
}

/// `{"protocolType": "Https", "port": 443}`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct ApplicationRuleProtocol {
    /// `Http`, `Https`, `Mssql`.
    pub protocol_type: Option<String>,
    /// Port.
    pub port: Option<u32>,
}

/// `Microsoft.Network/firewallPolicies`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct FirewallPolicy {
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
    pub properties: FirewallPolicyProperties,
}

/// `properties` of a firewall policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct FirewallPolicyProperties {
    /// The parent policy whose rule collections come first.
    pub base_policy: Option<SubResource>,
    /// The policy's rule collection groups (read as children).
    pub rule_collection_groups: Vec<SubResource>,
    /// Firewalls using the policy.
    pub firewalls: Vec<SubResource>,
    /// DNS proxy and servers.
    pub dns_settings: Option<FirewallPolicyDnsSettings>,
    /// TLS inspection CA.
    pub transport_security: Option<FirewallPolicyTransportSecurity>,
    /// `Basic`, `Standard`, `Premium`.
    pub sku: Option<FirewallPolicySku>,
}

/// `dnsSettings` of a firewall policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct FirewallPolicyDnsSettings {
    /// Custom DNS servers the proxy forwards to; empty means Azure DNS.
    pub servers: Vec<String>,
    /// The DNS proxy listens on the firewall's private address (port 53).
    pub enable_proxy: Option<bool>,
    /// FQDNs in network rules need the proxy.
    pub require_proxy_for_network_rules: Option<bool>,
}

/// `transportSecurity` of a firewall policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct FirewallPolicyTransportSecurity {
    /// The intermediate CA TLS inspection signs with.
    pub certificate_authority: Option<FirewallPolicyCertificateAuthority>,
}

/// `certificateAuthority` of a firewall policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct FirewallPolicyCertificateAuthority {
    /// Name.
    pub name: Option<String>,
}

/// `sku` of a firewall policy.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(default)]
pub struct FirewallPolicySku {
    /// `Basic`, `Standard`, `Premium`.
    pub tier: Option<String>,
}

/// `Microsoft.Network/firewallPolicies/ruleCollectionGroups` (child of a policy).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct RuleCollectionGroup {
    /// ARM id.
    #[serde(default)]
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    pub properties: RuleCollectionGroupProperties,
}

/// `properties` of a rule collection group. `priority` decides the group's order but the API does not mark it
/// required: a group without it is loaded, and the firewall verdict for flows its rules could decide is `unknown`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RuleCollectionGroupProperties {
    /// 100 (first) to 65000.
    #[serde(default)]
    pub priority: Option<u32>,
    /// Its rule collections.
    #[serde(default)]
    pub rule_collections: Vec<PolicyRuleCollection>,
}

/// A rule collection of a policy. Only `ruleCollectionType` is required (the discriminator of
/// `FirewallPolicyRuleCollection`); the published example `FirewallPolicyRuleCollectionGroupWithHttpHeadersToInsert`
/// has a collection without `priority`. A collection without a priority (or a filter collection without an action)
/// is loaded, and the firewall verdict for flows its rules could decide is `unknown`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct PolicyRuleCollection {
    /// `FirewallPolicyFilterRuleCollection` or `FirewallPolicyNatRuleCollection`.
    pub rule_collection_type: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// 100 (first) to 65000.
    #[serde(default)]
    pub priority: Option<u32>,
    /// `Allow` / `Deny` (`DNAT` for NAT collections).
    #[serde(default)]
    pub action: Option<RuleAction>,
    /// The rules.
    #[serde(default)]
    pub rules: Vec<PolicyRule>,
}

/// A rule of a policy rule collection: `ruleType` `ApplicationRule`, `NetworkRule` or `NatRule`, each using the
/// fields of its kind.
// Lists are boxed slices rather than `Vec`s: a policy can hold thousands of rules with a dozen short lists each,
// and a `Vec` read from JSON keeps room for four items however many it holds (see docs/performance.md).
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct PolicyRule {
    /// `ApplicationRule`, `NetworkRule`, `NatRule`.
    pub rule_type: String,
    /// Name.
    pub name: String,
    /// Source addresses: `*`, addresses, CIDRs, ranges `a-b`.
    pub source_addresses: Box<[String]>,
    /// Source IP group ids.
    pub source_ip_groups: Box<[String]>,
    /// Network rules: destination addresses, CIDRs, ranges, service tags.
    pub destination_addresses: Box<[String]>,
    /// Network rules: destination IP group ids.
    pub destination_ip_groups: Box<[String]>,
    /// Network rules: destination FQDNs (need the DNS proxy).
    pub destination_fqdns: Box<[String]>,
    /// Network and NAT rules: ports and ranges.
    pub destination_ports: Box<[String]>,
    /// Network and NAT rules: `TCP`, `UDP`, `ICMP`, `Any`.
    pub ip_protocols: Box<[String]>,
    /// Application rules: `Http:80`, `Https:443`.
    pub protocols: Box<[ApplicationRuleProtocol]>,
    /// Application rules: FQDNs, `*` wildcards allowed.
    pub target_fqdns: Box<[String]>,
    /// Application rules: URLs (Premium, with TLS inspection).
    pub target_urls: Box<[String]>,
    /// Application rules: FQDN tags.
    pub fqdn_tags: Box<[String]>,
    /// Application rules: web categories.
    pub web_categories: Box<[String]>,
    /// Application rules: TLS inspection (Premium).
    #[serde(rename = "terminateTLS")]
    pub terminate_tls: Option<bool>,
}

/// `Microsoft.Network/ipGroups`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
pub struct IpGroup {
    /// ARM id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Properties.
    #[serde(default)]
    pub properties: IpGroupProperties,
}

/// `properties` of an IP group.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase", default)]
pub struct IpGroupProperties {
    /// Addresses, CIDRs and ranges.
    pub ip_addresses: Vec<String>,
}
