//! The registry's network rules on a pull from the public network (`pairs[_].public_pull`): consumers whose
//! `pull_network` is `public` (a site without VNet image pull, a container app in an environment without a
//! VNet, a container group outside a VNet, a task on shared agents).
//!
//! A registry is network-restricted when public network access is `Disabled` or the firewall's default action
//! is `Deny` (<https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks>).
//! Then, by kind:
//!
//! - **App Service, Functions, Container Apps**: no bypass. "Currently, enabling the `allow trusted services`
//!   setting doesn't apply to App Service", and neither App Service nor Container Apps is in the trusted-services
//!   table (<https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services>). Public access
//!   disabled blocks the pull; with `Deny`, every outbound address must be inside an IP rule (App Service picks
//!   one "randomly at runtime, so your back-end service must open its firewall to all the outbound IP
//!   addresses", <https://learn.microsoft.com/azure/app-service/overview-inbound-outbound-ips>). Unknown
//!   addresses leave the verdict unknown, unless no IP rule exists at all (then nothing public is admitted).
//! - **Container groups**: ACI is a trusted service for managed-identity pulls ("Deploy to ACI from ACR using a
//!   managed identity | Yes, either system-assigned or user-assigned identity", same page), so a
//!   managed-identity sign-in passes when the registry allows trusted services (`networkRuleBypassOptions:
//!   AzureServices`) and has no service-endpoint rule ("Allowing trusted services doesn't apply to a container
//!   registry configured with a service endpoint"). Otherwise as above, with unknown addresses.
//! - **ACR Tasks**: no longer a trusted service; since 1 June 2025 "If the new setting is unset, network bypass
//!   for tasks using System-Assigned Managed Identity (SAMI) tokens will be denied by default", and "There is no
//!   impact to customers using User-Assigned Identity"
//!   (<https://learn.microsoft.com/azure/container-registry/manage-network-bypass-policy-for-tasks>).
//!   `networkRuleBypassAllowedForTasks: true` admits the task; unknown (read before api-version 2025-11-01)
//!   leaves it unknown; `false` blocks a task with a system-assigned identity or none, unless public access is
//!   enabled with IP rules (the shared agents' addresses are not in ARM: an IP rule may admit them); a task with
//!   only user-assigned identities is unknown.

use super::facts::{
    ClientFacts, ClientKind, DefaultAction, LoginMethod, PublicNetworkAccess, PublicPullFacts, PublicPullVerdict,
    RegistryFacts, RegistryLoginFacts,
};
use super::net::ipset::IpSet;

/// The bypass word of ACR's trusted services (`networkRuleBypassOptions`).
const TRUSTED_SERVICES: &str = "AzureServices";
/// The registry property that lets tasks through the network rules.
const TASKS_BYPASS: &str = "networkRuleBypassAllowedForTasks";

/// The verdict on `client`'s public pull from `registry`, signing in with `login`.
pub(crate) fn public_pull(
    registry: &RegistryFacts,
    client: &ClientFacts,
    login: Option<&RegistryLoginFacts>,
) -> PublicPullFacts {
    let mut f = PublicPullFacts {
        verdict: PublicPullVerdict::Allowed,
        reason: String::new(),
        egress_ips: client.egress_ips.clone(),
        uncovered_ips: vec![],
        egress_unknown: client.egress_unknown.clone(),
        bypass: None,
    };
    let disabled = registry.public_network_access == PublicNetworkAccess::Disabled;
    let deny = registry.default_action == DefaultAction::Deny;
    if !disabled && !deny {
        f.reason = "the registry accepts public traffic from all networks (default action Allow)".into();
        return f;
    }
    match client.kind {
        ClientKind::Task => task(registry, client, disabled, f),
        ClientKind::Containergroup => {
            let managed_identity = login.map(|l| l.method == LoginMethod::ManagedIdentity).unwrap_or(false);
            if managed_identity && registry.trusted_services_bypass && registry.virtual_network_rules.is_empty() {
                f.bypass = Some(TRUSTED_SERVICES.into());
                f.reason = "the registry allows trusted services (networkRuleBypassOptions AzureServices), and Azure Container Instances pulling with a managed identity is one".into();
                return f;
            }
            firewall(registry, disabled, f)
        }
        _ => firewall(registry, disabled, f),
    }
}

/// Public access and IP rules against the client's public addresses, with no bypass.
fn firewall(registry: &RegistryFacts, disabled: bool, mut f: PublicPullFacts) -> PublicPullFacts {
    if disabled {
        f.verdict = PublicPullVerdict::Blocked;
        f.reason =
            "the registry's public network access is disabled, and this pull comes from the public network".into();
        return f;
    }
    let allowed =
        registry.ip_rules.iter().filter_map(|r| IpSet::parse_prefix(r)).fold(IpSet::empty(), |a, b| a.union(&b));
    let mut unparsed = Vec::new();
    for ip in &f.egress_ips {
        // ACR IP rules and public endpoints are IPv4 (see `path::registry_firewall`): an IPv6 address is not the
        // source of a pull.
        if IpSet::is_ipv6_text(ip) {
            continue;
        }
        match IpSet::parse_prefix(ip) {
            Some(set) if allowed.contains_set(&set) => {}
            Some(_) => f.uncovered_ips.push(ip.clone()),
            None => unparsed.push(ip.clone()),
        }
    }
    if !f.uncovered_ips.is_empty() {
        f.verdict = PublicPullVerdict::Blocked;
        f.reason = format!(
            "the registry's default action is Deny and no IP rule covers outbound address {}",
            f.uncovered_ips.join(", ")
        );
        return f;
    }
    let judged = f.egress_ips.iter().filter(|ip| !IpSet::is_ipv6_text(ip)).count() - unparsed.len();
    let mut unknown: Vec<String> = f.egress_unknown.iter().cloned().collect();
    if !unparsed.is_empty() {
        unknown.push(format!("{} is not an IP address", unparsed.join(", ")));
    }
    if judged == 0 && unknown.is_empty() {
        unknown.push("no IPv4 outbound address is known".into());
    }
    if !unknown.is_empty() {
        if allowed.is_empty() {
            f.verdict = PublicPullVerdict::Blocked;
            f.reason =
                "the registry's default action is Deny and it has no IP rule: no public address is admitted".into();
        } else {
            f.verdict = PublicPullVerdict::Unknown;
            f.reason = format!(
                "the registry's default action is Deny and the client's outbound addresses are not all known ({}): an IP rule may or may not cover them",
                unknown.join("; ")
            );
        }
        return f;
    }
    f.reason = "the registry's default action is Deny and an IP rule covers every outbound address".into();
    f
}

/// An ACR task on shared agents against its network-restricted registry.
fn task(registry: &RegistryFacts, client: &ClientFacts, disabled: bool, mut f: PublicPullFacts) -> PublicPullFacts {
    match registry.tasks_bypass {
        Some(true) => {
            f.bypass = Some(TASKS_BYPASS.into());
            f.reason = "the registry is network-restricted and networkRuleBypassAllowedForTasks is true: tasks pass the network rules".into();
        }
        None => {
            f.verdict = PublicPullVerdict::Unknown;
            f.reason = "the registry is network-restricted and the snapshot does not show networkRuleBypassAllowedForTasks (read before api-version 2025-11-01)".into();
        }
        Some(false) => {
            let identity = client.identity.as_ref();
            let system = identity.map(|i| i.system_principal_id.is_some()).unwrap_or(false);
            let user = identity.map(|i| !i.user_assigned.is_empty()).unwrap_or(false);
            if user && !system {
                f.verdict = PublicPullVerdict::Unknown;
                f.reason = "networkRuleBypassAllowedForTasks is false, which Microsoft documents as no impact on tasks using a user-assigned identity".into();
            } else if !disabled && !registry.ip_rules.is_empty() {
                f.verdict = PublicPullVerdict::Unknown;
                f.reason = "networkRuleBypassAllowedForTasks is false and the registry's default action is Deny: an IP rule may admit the shared agents, whose addresses ARM does not show".into();
            } else {
                f.verdict = PublicPullVerdict::Blocked;
                let setting = if disabled {
                    "public network access is disabled"
                } else {
                    "its default action is Deny with no IP rule"
                };
                f.reason = format!(
                    "the task runs on shared agents, the registry's networkRuleBypassAllowedForTasks is false and {setting}: {} tokens are denied",
                    if system { "the task's system-assigned identity" } else { "the task has no identity, and its" }
                );
            }
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::consumers::test_model::model;
    use crate::analysis::facts::{IdentityStatus, ManagedIdentityFacts, PullNetwork, UserAssignedIdentityFacts};
    use serde_json::{json, Value};

    const REG: &str = "/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry";

    /// A registry shaped like `RegistryGet.json` (2025-11-01) with `properties` merged over it.
    fn registry(props: Value) -> RegistryFacts {
        let mut p = json!({"loginServer": "myregistry.azurecr.io", "adminUserEnabled": false,
            "publicNetworkAccess": "Enabled", "networkRuleBypassOptions": "AzureServices",
            "networkRuleBypassAllowedForTasks": false, "roleAssignmentMode": "LegacyRegistryPermissions"});
        for (k, v) in props.as_object().unwrap() {
            p[k] = v.clone();
        }
        let m = model(
            json!({"Microsoft.ContainerRegistry/registries": [{"id": REG, "name": "myRegistry", "location": "westus",
                "sku": {"name": "Premium"}, "properties": p}]}),
            json!({}),
            json!([]),
        );
        crate::analysis::registry::registry_facts(&m).remove(0)
    }

    fn deny(rules: &[&str]) -> Value {
        json!({"networkRuleSet": {"defaultAction": "Deny",
            "ipRules": rules.iter().map(|r| json!({"action": "Allow", "value": r})).collect::<Vec<_>>()}})
    }

    fn client(kind: ClientKind, egress: &[&str], unknown: Option<&str>) -> ClientFacts {
        ClientFacts {
            id: "/c".into(),
            name: "c".into(),
            kind,
            egress_ips: egress.iter().map(|s| s.to_string()).collect(),
            egress_unknown: unknown.map(str::to_string),
            pull_network: PullNetwork::Public,
            identity: Some(ManagedIdentityFacts::default()),
            ..ClientFacts::vnet_defaults()
        }
    }

    fn mi_login() -> RegistryLoginFacts {
        RegistryLoginFacts {
            server: "myregistry.azurecr.io".into(),
            method: LoginMethod::ManagedIdentity,
            identity: Some("system".into()),
            principal_id: Some("p".into()),
            identity_status: IdentityStatus::Resolved,
            username: None,
            source: "properties.imageRegistryCredentials[0]".into(),
        }
    }

    fn verdict(r: &RegistryFacts, c: &ClientFacts, login: Option<&RegistryLoginFacts>) -> (PublicPullVerdict, String) {
        let f = public_pull(r, c, login);
        (f.verdict, f.reason)
    }

    #[test]
    fn an_unrestricted_registry_admits_every_kind() {
        let open = registry(json!({}));
        for kind in [ClientKind::Webapp, ClientKind::Containerapp, ClientKind::Containergroup, ClientKind::Task] {
            assert_eq!(verdict(&open, &client(kind, &[], Some("?")), None).0, PublicPullVerdict::Allowed, "{kind}");
        }
    }

    #[test]
    fn web_apps_get_no_trusted_services_bypass() {
        let web = client(ClientKind::Webapp, &["70.37.102.201", "20.225.43.144"], None);
        let disabled = registry(json!({"publicNetworkAccess": "Disabled"}));
        let (v, reason) = verdict(&disabled, &web, None);
        assert_eq!(v, PublicPullVerdict::Blocked);
        assert!(reason.contains("public network access is disabled"));
        let f = public_pull(&disabled, &web, None);
        assert!(f.bypass.is_none(), "trusted services never apply to App Service");

        let partly = registry(deny(&["70.37.102.201"]));
        let f = public_pull(&partly, &web, None);
        assert_eq!(f.verdict, PublicPullVerdict::Blocked);
        assert_eq!(f.uncovered_ips, vec!["20.225.43.144"]);
        assert!(f.reason.contains("20.225.43.144"));

        let covered = registry(deny(&["70.37.102.201", "20.225.0.0/16"]));
        assert_eq!(verdict(&covered, &web, None).0, PublicPullVerdict::Allowed);
    }

    #[test]
    fn unknown_egress_is_unknown_unless_no_ip_rule_exists() {
        let v4 = client(ClientKind::Webapp, &[], Some("outboundIpAddresses is empty"));
        assert_eq!(verdict(&registry(deny(&["1.2.3.4"])), &v4, None).0, PublicPullVerdict::Unknown);
        let (v, reason) = verdict(&registry(deny(&[])), &v4, None);
        assert_eq!(v, PublicPullVerdict::Blocked);
        assert!(reason.contains("no IP rule"));
        let app = client(ClientKind::Containerapp, &[], Some("no outboundIpAddresses"));
        assert_eq!(verdict(&registry(deny(&["1.2.3.4"])), &app, None).0, PublicPullVerdict::Unknown);
        assert_eq!(
            verdict(&registry(json!({"publicNetworkAccess": "Disabled"})), &app, None).0,
            PublicPullVerdict::Blocked
        );
        // An uncovered known address blocks even when other addresses are unknown.
        let mixed = client(ClientKind::Containerapp, &["9.9.9.9"], Some("part unknown"));
        assert_eq!(verdict(&registry(deny(&["1.2.3.4"])), &mixed, None).0, PublicPullVerdict::Blocked);
    }

    #[test]
    fn container_groups_pass_as_a_trusted_service_only_with_a_managed_identity() {
        let aci = client(ClientKind::Containergroup, &[], Some("Azure-managed addresses"));
        let disabled = registry(json!({"publicNetworkAccess": "Disabled"}));
        let f = public_pull(&disabled, &aci, Some(&mi_login()));
        assert_eq!((f.verdict, f.bypass.as_deref()), (PublicPullVerdict::Allowed, Some("AzureServices")));
        let no_bypass = registry(json!({"publicNetworkAccess": "Disabled", "networkRuleBypassOptions": "None"}));
        assert_eq!(verdict(&no_bypass, &aci, Some(&mi_login())).0, PublicPullVerdict::Blocked);
        let mut credentials = mi_login();
        credentials.method = LoginMethod::Credentials;
        assert_eq!(verdict(&disabled, &aci, Some(&credentials)).0, PublicPullVerdict::Blocked);
        assert_eq!(verdict(&registry(deny(&["1.2.3.4"])), &aci, Some(&credentials)).0, PublicPullVerdict::Unknown);
        let mut service_endpoint = registry(json!({"publicNetworkAccess": "Disabled"}));
        service_endpoint.virtual_network_rules =
            vec!["/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/v/subnets/s".into()];
        assert_eq!(verdict(&service_endpoint, &aci, Some(&mi_login())).0, PublicPullVerdict::Blocked);
    }

    #[test]
    fn tasks_follow_the_network_bypass_policy_for_tasks() {
        let mut system = client(ClientKind::Task, &[], Some("shared agents"));
        system.identity = Some(ManagedIdentityFacts { system_principal_id: Some("p".into()), user_assigned: vec![] });
        let mut user = system.clone();
        user.identity = Some(ManagedIdentityFacts {
            system_principal_id: None,
            user_assigned: vec![UserAssignedIdentityFacts {
                resource_id: "/u".into(),
                principal_id: None,
                client_id: None,
            }],
        });
        let none = client(ClientKind::Task, &[], Some("shared agents"));

        let allowed = registry(json!({"publicNetworkAccess": "Disabled", "networkRuleBypassAllowedForTasks": true}));
        let f = public_pull(&allowed, &system, None);
        assert_eq!(
            (f.verdict, f.bypass.as_deref()),
            (PublicPullVerdict::Allowed, Some("networkRuleBypassAllowedForTasks"))
        );

        let mut unset = registry(json!({"publicNetworkAccess": "Disabled"}));
        unset.tasks_bypass = None;
        assert_eq!(verdict(&unset, &system, None).0, PublicPullVerdict::Unknown);

        let disabled = registry(json!({"publicNetworkAccess": "Disabled"}));
        let (v, reason) = verdict(&disabled, &system, None);
        assert_eq!(v, PublicPullVerdict::Blocked);
        assert!(reason.contains("networkRuleBypassAllowedForTasks is false"));
        assert_eq!(verdict(&disabled, &none, None).0, PublicPullVerdict::Blocked);
        assert_eq!(verdict(&disabled, &user, None).0, PublicPullVerdict::Unknown);
        assert_eq!(verdict(&registry(deny(&[])), &system, None).0, PublicPullVerdict::Blocked);
        assert_eq!(verdict(&registry(deny(&["1.2.3.4"])), &system, None).0, PublicPullVerdict::Unknown);
        // The trusted-services bypass no longer admits tasks.
        assert!(
            registry(deny(&[])).trusted_services_bypass,
            "the registries above allow trusted services, which do not admit tasks"
        );
    }
}
