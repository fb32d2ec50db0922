//! Container apps (`Microsoft.App/containerApps`) as consumers.
//!
//! **Sign-in**: each `configuration.registries[]` entry names a `server` and either a managed `identity`
//! (`system`, or a user-assigned identity's resource id: "For user-assigned identities, use the full
//! user-assigned identity Resource ID. For system-assigned identities, use 'system'",
//! <https://learn.microsoft.com/javascript/api/@azure/arm-appcontainers/registrycredentials>;
//! <https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull>) or a `username` with a
//! `passwordSecretRef`. ARM returns unset fields as empty strings.
//!
//! **Network**: an app's traffic leaves from its managed environment. An environment with
//! `vnetConfiguration.infrastructureSubnetId` runs in that subnet (the pair gets path analysis, egress through the
//! subnet's NAT gateway when it has one,
//! <https://learn.microsoft.com/azure/container-apps/custom-virtual-networks>); one without it uses
//! Azure-managed networking from the public network (egress: the app's `outboundIpAddresses` when listed). An
//! environment that is not in the snapshot leaves the network unknown. `staticIp` is the environment's inbound
//! address, never its egress.

use super::identity::{identity_facts, set};
use super::{registry_entry_login, Consumer, PullFrom};
use crate::analysis::egress::last;
use crate::analysis::facts::{ClientFacts, ClientKind, RegistryLoginFacts};
use crate::model::{ContainerApp, Model};

/// A container app as a consumer.
pub(super) fn facts(model: &Model, app: &ContainerApp) -> ClientFacts {
    let p = &app.properties;
    let identity = app.identity.as_ref();
    let template = p.template.as_ref();
    let images = template
        .map(|t| t.containers.iter().chain(&t.init_containers).filter_map(|c| set(c.image.as_deref())))
        .into_iter()
        .flatten()
        .map(str::to_string)
        .collect();
    let registries = p.configuration.as_ref().map(|c| c.registries.as_slice()).unwrap_or_default();
    let registry_logins: Vec<RegistryLoginFacts> = registries
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let source = format!("properties.configuration.registries[{i}]");
            registry_entry_login(identity, r.server.as_deref(), r.identity.as_deref(), r.username.as_deref(), source)
        })
        .collect();
    let environment = set(p.managed_environment_id.as_deref()).or(set(p.environment_id.as_deref()));
    Consumer {
        id: app.id.clone(),
        name: app.name.clone(),
        kind: ClientKind::Containerapp,
        location: app.location.clone(),
        images,
        images_unknown: None,
        identity: identity_facts(identity),
        registry_logins,
        pull: pull_network(model, app, environment),
        parent: environment.map(str::to_string),
    }
    .into_facts(model)
}

fn pull_network(model: &Model, app: &ContainerApp, environment: Option<&str>) -> PullFrom {
    let Some(env_id) = environment else {
        return PullFrom::Unknown { reason: "the app names no managed environment".into() };
    };
    let Some(env) = model.managed_environment(env_id) else {
        return PullFrom::Unknown { reason: format!("managed environment {} is not in the snapshot", last(env_id)) };
    };
    let subnet = env.properties.vnet_configuration.as_ref().and_then(|v| set(v.infrastructure_subnet_id.as_deref()));
    match subnet {
        Some(subnet) => PullFrom::Vnet {
            subnet: subnet.to_string(),
            reason: format!(
                "managed environment {} runs in infrastructure subnet {} (vnetConfiguration.infrastructureSubnetId)",
                env.name,
                last(subnet)
            ),
            no_nat: format!(
                "infrastructure subnet {} has no NAT gateway: the environment's outbound public address is not known from ARM",
                last(subnet)
            ),
        },
        None => {
            let egress_ips: Vec<String> = app
                .properties
                .outbound_ip_addresses
                .iter()
                .map(|ip| ip.trim())
                .filter(|ip| !ip.is_empty())
                .map(str::to_string)
                .collect();
            PullFrom::Public {
                egress_unknown: egress_ips
                    .is_empty()
                    .then(|| "the app lists no outboundIpAddresses: its outbound addresses are not known".to_string()),
                egress_ips,
                reason: format!(
                    "managed environment {} has no vnetConfiguration.infrastructureSubnetId: pulls leave from the public network",
                    env.name
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_model::model;
    use super::*;
    use crate::analysis::facts::{IdentityStatus, LoginMethod, PullNetwork};
    use serde_json::{json, Value};

    const SUB: &str = "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345";
    const UAMI: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myidentity";

    fn env_id() -> String {
        format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.App/managedEnvironments/demokube")
    }

    fn subnet_id() -> String {
        format!("/subscriptions/{SUB}/resourceGroups/RGName/providers/Microsoft.Network/virtualNetworks/VNetName/subnets/subnetName1")
    }

    /// An app shaped like `ContainerApps_Get.json` (2026-01-01), with `configuration.registries` from the
    /// RegistryCredentials model (no published example has it).
    fn app(registries: Value) -> Value {
        json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerApp0"),
            "name": "testcontainerApp0", "type": "Microsoft.App/containerApps", "location": "East US",
            "identity": {"type": "SystemAssigned,UserAssigned", "principalId": "24adfa4f-dedf-8dc0-ca29-b6d1a69ab319",
                "tenantId": "23adfa4f-eedf-1dc0-ba29-a6d1a69ab3d0",
                "userAssignedIdentities": {UAMI: {"clientId": "14adfa4f-eedf-1dc0-ba29-a6d1a69ab3df",
                    "principalId": "74adfa4f-dedf-8dc0-ca29-b6d1a69ab312"}}},
            "properties": {
                "managedEnvironmentId": env_id(),
                "configuration": {"registries": registries},
                "template": {
                    "containers": [{"name": "testcontainerApp0", "image": "contosoacr.azurecr.io/testcontainerApp0:v4"}],
                    "initContainers": [{"name": "testinitcontainerApp0", "image": "repo/testcontainerApp0:v4"}]
                }
            }
        })
    }

    /// An environment shaped like `ManagedEnvironments_ListBySubscription.json` (2026-01-01).
    fn env(vnet: bool) -> Value {
        let mut e = json!({"id": env_id(), "name": "demokube", "type": "Microsoft.App/managedEnvironments",
            "location": "North Central US", "properties": {"staticIp": "20.42.33.145"}});
        if vnet {
            e["properties"]["vnetConfiguration"] = json!({"infrastructureSubnetId": subnet_id()});
        }
        e
    }

    fn one(app: Value, envs: Vec<Value>) -> ClientFacts {
        let m = model(
            json!({"Microsoft.App/containerApps": [app], "Microsoft.App/managedEnvironments": envs}),
            json!({}),
            json!([]),
        );
        facts(&m, &m.container_apps[0])
    }

    #[test]
    fn every_registry_entry_is_a_sign_in_by_identity_username_or_unknown() {
        let other = UAMI.replace("myidentity", "stranger");
        let c = one(
            app(json!([
                {"server": "contosoacr.azurecr.io", "identity": UAMI.replace("resourcegroups", "resourceGroups"),
                    "username": "", "passwordSecretRef": ""},
                {"server": "second.azurecr.io", "identity": "system", "username": "", "passwordSecretRef": ""},
                {"server": "third.azurecr.io", "identity": other, "username": "", "passwordSecretRef": ""},
                {"server": "Fourth.azurecr.io", "identity": "", "username": "fourth", "passwordSecretRef": "pw"},
                {"server": "fifth.azurecr.io", "identity": "", "username": "", "passwordSecretRef": ""},
                {"server": "", "identity": "system"}
            ])),
            vec![env(false)],
        );
        let l = &c.registry_logins;
        assert_eq!(l.len(), 5, "an entry without a server is no sign-in");
        assert_eq!((l[0].method, l[0].identity_status), (LoginMethod::ManagedIdentity, IdentityStatus::Resolved));
        assert_eq!(l[0].principal_id.as_deref(), Some("74adfa4f-dedf-8dc0-ca29-b6d1a69ab312"));
        assert_eq!(l[1].principal_id.as_deref(), Some("24adfa4f-dedf-8dc0-ca29-b6d1a69ab319"));
        assert_eq!(l[2].identity_status, IdentityStatus::NotAssigned);
        assert_eq!((l[3].method, l[3].username.as_deref()), (LoginMethod::Credentials, Some("fourth")));
        assert_eq!(l[3].server, "fourth.azurecr.io");
        assert_eq!(l[3].source, "properties.configuration.registries[3]");
        assert_eq!(l[4].method, LoginMethod::Unknown);
        assert_eq!(c.images, vec!["contosoacr.azurecr.io/testcontainerApp0:v4", "repo/testcontainerApp0:v4"]);
        assert_eq!(c.parent.as_deref(), Some(env_id().as_str()));
        assert_eq!(c.kind, ClientKind::Containerapp);
    }

    #[test]
    fn the_environment_decides_where_pulls_leave_from() {
        let vnet = one(app(json!([])), vec![env(true)]);
        assert_eq!(vnet.pull_network, PullNetwork::Vnet);
        assert_eq!(vnet.subnet_ids, vec![subnet_id()]);
        assert_eq!(vnet.vnet_ids.len(), 1);
        assert!(vnet.egress_unknown.as_deref().unwrap().contains("subnetName1 is not in the snapshot"));

        let public = one(app(json!([])), vec![env(false)]);
        assert_eq!(public.pull_network, PullNetwork::Public);
        assert!(public.egress_ips.is_empty() && public.egress_unknown.is_some(), "staticIp is inbound, not egress");
        let mut listed = app(json!([]));
        listed["properties"]["outboundIpAddresses"] = json!(["20.1.2.3", "20.1.2.4"]);
        let listed = one(listed, vec![env(false)]);
        assert_eq!(listed.egress_ips, vec!["20.1.2.3", "20.1.2.4"]);
        assert!(listed.egress_unknown.is_none());

        let missing = one(app(json!([])), vec![]);
        assert_eq!(missing.pull_network, PullNetwork::Unknown);
        assert!(missing.pull_network_reason.as_deref().unwrap().contains("demokube"));
        assert!(missing.subnet_ids.is_empty());

        let mut newer = app(json!([]));
        newer["properties"]["managedEnvironmentId"] = json!("");
        newer["properties"]["environmentId"] = json!(env_id());
        assert_eq!(one(newer, vec![env(true)]).pull_network, PullNetwork::Vnet);
    }
}
