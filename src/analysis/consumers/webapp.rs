//! App Service and Functions container sites (`Microsoft.Web/sites`) as consumers.
//!
//! A site is a consumer when its configuration runs a container: `linuxFxVersion` or `windowsFxVersion` is
//! `DOCKER|<image>`. The configuration is read from the site's `config/web` child (the list returns `siteConfig`
//! mostly empty); the list's `siteConfig` is the fallback. A site whose `config/web` could not be read is a
//! consumer with unknown images: it may run a container, and the pair through a role assignment still gets
//! analysed.
//!
//! **Sign-in** (<https://learn.microsoft.com/azure/app-service/configure-custom-container>): with
//! `acrUseManagedIdentityCreds` the site pulls with a managed identity, the user-assigned one whose **client
//! id** is `acrUserManagedIdentityID`, or the system-assigned one when that is empty. Without it the site signs
//! in with the `DOCKER_REGISTRY_SERVER_USERNAME` / `_PASSWORD` app settings, which Reader cannot list: the method
//! is `unknown`.
//!
//! **Network** ("Manage Azure App Service virtual network integration routing",
//! <https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing>): with VNet integration
//! (`virtualNetworkSubnetId`) image pulls go through the VNet when `outboundVnetRouting.imagePullTraffic` or
//! `outboundVnetRouting.allTraffic` ("all outbound traffic … including … container image pulls") is on, or the
//! legacy `vnetImagePullEnabled` ("still supported for backwards compatibility", as is the
//! `WEBSITE_PULL_IMAGE_OVER_VNET` app setting). With integration but none of those, the app setting decides and
//! Reader cannot read it: `unknown`. Without integration, pulls use the public route and leave from one of the
//! site's `outboundIpAddresses` ("selected randomly at runtime, so your back-end service must open its firewall
//! to all the outbound IP addresses for your app",
//! <https://learn.microsoft.com/azure/app-service/overview-inbound-outbound-ips>); on Premium V4 "ARM and CLI
//! calls return empty strings" for them: the egress is unknown, not absent.

use super::identity::{identity_facts, resolve, set, IdentityRef};
use super::images::{docker_fx_image, registry_host};
use super::{comma_list, identity_login, other_login, Consumer, PullFrom};
use crate::analysis::egress::last;
use crate::analysis::facts::{ClientFacts, ClientKind};
use crate::model::{Model, Site, SiteConfig};

/// The child type of a site's `config/web`.
const CONFIG_TYPE: &str = "Microsoft.Web/sites/config";

/// A container site as a consumer; `None` for a site that runs no container.
pub(super) fn facts(model: &Model, site: &Site) -> Option<ClientFacts> {
    let child = model.site_configs(&site.id).and_then(|c| c.first()).map(|c| (&c.properties, "config/web"));
    let listed = site.properties.site_config.as_ref().map(|c| (c, "properties.siteConfig"));
    // The collector records a failed child read under the parent's id; the child's own id is matched as well.
    let unread = child.is_none() && model.unread(&format!("{}/config/web", site.id), CONFIG_TYPE);
    let config: Option<(&SiteConfig, &str)> = child.or(listed);
    let image = config.and_then(|(c, source)| {
        let linux = set(c.linux_fx_version.as_deref()).and_then(docker_fx_image).map(|i| (i, "linuxFxVersion"));
        let windows = set(c.windows_fx_version.as_deref()).and_then(docker_fx_image).map(|i| (i, "windowsFxVersion"));
        linux.or(windows).map(|(image, field)| (image, c, format!("{source} {field}")))
    });
    if image.is_none() && !unread {
        return None;
    }
    let kind = match site.kind.as_deref() {
        Some(k) if k.trim().to_ascii_lowercase().starts_with("functionapp") => ClientKind::Functionapp,
        _ => ClientKind::Webapp,
    };
    let identity = site.identity.as_ref();
    let (images, images_unknown, registry_logins) = match image {
        Some((image, config, source)) => {
            let logins = registry_host(image)
                .map(|server| match config.acr_use_managed_identity_creds {
                    Some(true) => {
                        let (configured, wanted) = match set(config.acr_user_managed_identity_id.as_deref()) {
                            Some(client_id) => (client_id.to_string(), IdentityRef::ClientId(client_id)),
                            None => ("system".to_string(), IdentityRef::System),
                        };
                        identity_login(server, configured, resolve(identity, wanted), source)
                    }
                    _ => other_login(server, None, source),
                })
                .into_iter()
                .collect();
            (vec![image.to_string()], None, logins)
        }
        None => (vec![], Some(format!("the site configuration ({}/config/web) could not be read", site.name)), vec![]),
    };
    Some(
        Consumer {
            id: site.id.clone(),
            name: site.name.clone(),
            kind,
            location: site.location.clone(),
            images,
            images_unknown,
            identity: identity_facts(identity),
            registry_logins,
            pull: pull_network(site),
            parent: set(site.properties.server_farm_id.as_deref()).map(str::to_string),
        }
        .into_facts(model),
    )
}

/// Where the site's image pulls leave from.
fn pull_network(site: &Site) -> PullFrom {
    let p = &site.properties;
    let Some(subnet) = set(p.virtual_network_subnet_id.as_deref()) else {
        let egress_ips = comma_list(p.outbound_ip_addresses.as_deref());
        let egress_unknown = egress_ips.is_empty().then(|| {
            "outboundIpAddresses is empty (ARM returns empty strings on Premium V4): the site's outbound addresses are not known".to_string()
        });
        return PullFrom::Public {
            egress_ips,
            egress_unknown,
            reason: "no VNet integration (virtualNetworkSubnetId): image pulls use the public route from the site's outbound IP addresses".into(),
        };
    };
    let routing = p.outbound_vnet_routing.as_ref();
    let flag = [
        (routing.and_then(|r| r.image_pull_traffic), "outboundVnetRouting.imagePullTraffic"),
        (routing.and_then(|r| r.all_traffic), "outboundVnetRouting.allTraffic"),
        (p.vnet_image_pull_enabled, "vnetImagePullEnabled"),
    ]
    .into_iter()
    .find(|(on, _)| *on == Some(true));
    match flag {
        Some((_, name)) => PullFrom::Vnet {
            subnet: subnet.to_string(),
            reason: format!("{name} is true: image pulls go through the integration subnet {}", last(subnet)),
            no_nat: format!(
                "integration subnet {} has no NAT gateway: the public address image pulls leave from is not known from ARM",
                last(subnet)
            ),
        },
        None => PullFrom::Unknown {
            reason: format!(
                "VNet-integrated (subnet {}) without outboundVnetRouting.imagePullTraffic, allTraffic or vnetImagePullEnabled: the legacy WEBSITE_PULL_IMAGE_OVER_VNET app setting may still route image pulls through the VNet, and app settings cannot be read with Reader",
                last(subnet)
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_model::model;
    use super::*;
    use crate::analysis::facts::{IdentityStatus, LoginMethod, PullNetwork};
    use serde_json::{json, Value};

    const SUB: &str = "34adfa4f-cedf-4dc0-ba29-b6d1a69ab345";
    const UAMI: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/testrg123/providers/Microsoft.ManagedIdentity/userAssignedIdentities/pull";

    fn site_id() -> String {
        format!("/subscriptions/{SUB}/resourceGroups/testrg123/providers/Microsoft.Web/sites/sitef6141")
    }

    fn subnet_id() -> String {
        format!("/subscriptions/{SUB}/resourceGroups/testrg123/providers/Microsoft.Network/virtualNetworks/vnet/subnets/integration")
    }

    /// A site shaped like `ListWebApps.json` (2025-05-01), with the identity and VNet fields of the Site model.
    fn site(kind: &str, extra: Value) -> Value {
        let mut s = json!({
            "id": site_id(), "name": "sitef6141", "type": "Microsoft.Web/sites", "kind": kind, "location": "East US",
            "identity": {"type": "SystemAssigned, UserAssigned", "principalId": "11111111-1111-1111-1111-111111111111",
                "tenantId": "22222222-2222-2222-2222-222222222222",
                "userAssignedIdentities": {UAMI: {"principalId": "33333333-3333-3333-3333-333333333333",
                    "clientId": "44444444-4444-4444-4444-444444444444"}}},
            "properties": {
                "outboundIpAddresses": "70.37.102.201,20.225.43.144",
                "possibleOutboundIpAddresses": "70.37.102.201,20.225.43.144,20.225.184.122,20.225.184.188",
                "outboundVnetRouting": {"allTraffic": false, "applicationTraffic": false, "backupRestoreTraffic": false,
                    "contentShareTraffic": false, "imagePullTraffic": false, "managedIdentityTraffic": false},
                "serverFarmId": format!("/subscriptions/{SUB}/resourceGroups/testrg123/providers/Microsoft.Web/serverfarms/DefaultAsp"),
                "siteConfig": {"acrUseManagedIdentityCreds": false, "linuxFxVersion": "", "vnetRouteAllEnabled": false}
            }
        });
        merge(&mut s, extra);
        s
    }

    fn merge(a: &mut Value, b: Value) {
        match (a, b) {
            (Value::Object(a), Value::Object(b)) => {
                for (k, v) in b {
                    merge(a.entry(k).or_insert(Value::Null), v);
                }
            }
            (a, b) => *a = b,
        }
    }

    /// `config/web` shaped like `GetSiteConfig.json` (2024-11-01) with the given properties.
    fn config(props: Value) -> Value {
        let mut p = json!({"linuxFxVersion": "", "acrUseManagedIdentityCreds": false, "vnetName": "", "vnetRouteAllEnabled": false});
        merge(&mut p, props);
        json!({"Microsoft.Web/sites/config": [{"parentId": site_id(), "value": [{
            "id": format!("{}/config/web", site_id()), "name": "web", "type": "Microsoft.Web/sites/config",
            "properties": p}]}]})
    }

    fn one(site: Value, children: Value, errors: Value) -> Option<ClientFacts> {
        let vnet =
            format!("/subscriptions/{SUB}/resourceGroups/testrg123/providers/Microsoft.Network/virtualNetworks/vnet");
        let m = model(
            json!({"Microsoft.Web/sites": [site], "Microsoft.Network/virtualNetworks": [{"id": vnet, "name": "vnet",
                "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [{"id": subnet_id(),
                    "name": "integration", "properties": {"addressPrefix": "10.0.2.0/24",
                        "delegations": [{"name": "d", "properties": {"serviceName": "Microsoft.Web/serverFarms"}}]}}]}}]}),
            children,
            errors,
        );
        facts(&m, &m.web_sites[0])
    }

    #[test]
    fn a_site_without_a_docker_image_is_no_consumer() {
        assert!(one(site("app", json!({})), config(json!({"linuxFxVersion": "NODE|20-lts"})), json!([])).is_none());
        assert!(one(site("app", json!({})), json!({}), json!([])).is_none());
    }

    #[test]
    fn the_config_child_wins_over_the_list_and_names_the_image_and_identity() {
        let c = one(
            site("app,linux,container", json!({"properties": {"siteConfig": {"linuxFxVersion": "DOCKER|nginx"}}})),
            config(
                json!({"linuxFxVersion": "DOCKER|ContosoAcr.azurecr.io/web/app:1.4", "acrUseManagedIdentityCreds": true,
                "acrUserManagedIdentityID": "44444444-4444-4444-4444-444444444444"}),
            ),
            json!([]),
        )
        .unwrap();
        assert_eq!(c.kind, ClientKind::Webapp);
        assert_eq!(c.images, vec!["ContosoAcr.azurecr.io/web/app:1.4"]);
        let login = &c.registry_logins[0];
        assert_eq!(login.server, "contosoacr.azurecr.io");
        assert_eq!(login.method, LoginMethod::ManagedIdentity);
        assert_eq!(login.identity.as_deref(), Some("44444444-4444-4444-4444-444444444444"));
        assert_eq!(login.identity_status, IdentityStatus::Resolved);
        assert_eq!(login.principal_id.as_deref(), Some("33333333-3333-3333-3333-333333333333"));
        assert_eq!(login.source, "config/web linuxFxVersion");
        assert!(c.parent.as_deref().unwrap().ends_with("/serverfarms/DefaultAsp"));
        assert_eq!(c.subscription_id.as_deref(), Some(SUB));
    }

    #[test]
    fn an_empty_identity_id_means_the_system_identity_and_a_wrong_client_id_is_not_assigned() {
        let sys = one(
            site("functionapp,linux,container", json!({})),
            config(json!({"windowsFxVersion": "DOCKER|contosoacr.azurecr.io/fn:1", "acrUseManagedIdentityCreds": true,
                "acrUserManagedIdentityID": ""})),
            json!([]),
        )
        .unwrap();
        assert_eq!(sys.kind, ClientKind::Functionapp);
        assert_eq!(sys.registry_logins[0].identity.as_deref(), Some("system"));
        assert_eq!(sys.registry_logins[0].principal_id.as_deref(), Some("11111111-1111-1111-1111-111111111111"));
        let wrong = one(
            site("app", json!({})),
            config(json!({"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/app:1", "acrUseManagedIdentityCreds": true,
                "acrUserManagedIdentityID": UAMI})),
            json!([]),
        )
        .unwrap();
        assert_eq!(wrong.registry_logins[0].identity_status, IdentityStatus::NotAssigned);
        let no_system = one(
            site("app", json!({"identity": {"type": "UserAssigned", "principalId": null}})),
            config(json!({"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/app:1", "acrUseManagedIdentityCreds": true})),
            json!([]),
        )
        .unwrap();
        assert_eq!(no_system.registry_logins[0].identity_status, IdentityStatus::NotEnabled);
    }

    #[test]
    fn without_managed_identity_the_method_is_unknown_and_hub_images_name_no_server() {
        let c = one(
            site("app", json!({})),
            config(json!({"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/app:1"})),
            json!([]),
        )
        .unwrap();
        assert_eq!(c.registry_logins[0].method, LoginMethod::Unknown);
        assert_eq!(c.registry_logins[0].identity_status, IdentityStatus::NotApplicable);
        let hub =
            one(site("app", json!({})), config(json!({"linuxFxVersion": "DOCKER|nginx:1.27"})), json!([])).unwrap();
        assert!(hub.registry_logins.is_empty());
        assert_eq!(hub.images, vec!["nginx:1.27"]);
    }

    #[test]
    fn an_unread_config_makes_a_consumer_with_unknown_images() {
        let errors = json!([{"scope": site_id(), "resourceType": "Microsoft.Web/sites/config", "status": 403,
            "code": "AuthorizationFailed", "message": "no"}]);
        let c = one(site("app", json!({})), json!({}), errors).unwrap();
        assert!(c.images.is_empty());
        assert!(c.images_unknown.as_deref().unwrap().contains("config/web"));
    }

    #[test]
    fn public_pulls_leave_from_the_outbound_addresses_or_unknown_ones_on_premium_v4() {
        let cfg = config(json!({"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/app:1"}));
        let c = one(site("app", json!({})), cfg.clone(), json!([])).unwrap();
        assert_eq!(c.pull_network, PullNetwork::Public);
        assert_eq!(c.egress_ips, vec!["70.37.102.201", "20.225.43.144"]);
        assert!(c.egress_unknown.is_none() && c.subnet_ids.is_empty());
        let v4 = one(site("app", json!({"properties": {"outboundIpAddresses": ""}})), cfg, json!([])).unwrap();
        assert_eq!(v4.pull_network, PullNetwork::Public);
        assert!(v4.egress_ips.is_empty());
        assert!(v4.egress_unknown.as_deref().unwrap().contains("Premium V4"));
    }

    #[test]
    fn vnet_image_pull_needs_integration_and_one_of_the_three_flags() {
        let cfg = config(json!({"linuxFxVersion": "DOCKER|contosoacr.azurecr.io/app:1"}));
        for flag in [
            json!({"outboundVnetRouting": {"imagePullTraffic": true}}),
            json!({"outboundVnetRouting": {"allTraffic": true}}),
            json!({"vnetImagePullEnabled": true}),
        ] {
            let mut props = json!({"virtualNetworkSubnetId": subnet_id()});
            merge(&mut props, flag.clone());
            let c = one(site("app", json!({"properties": props})), cfg.clone(), json!([])).unwrap();
            assert_eq!(c.pull_network, PullNetwork::Vnet, "{flag}");
            assert_eq!(c.subnet_ids, vec![subnet_id()]);
            assert!(c.egress_ips.is_empty(), "the site's outbound IPs are not the VNet pull's source");
            assert!(c.egress_unknown.as_deref().unwrap().contains("no NAT gateway"));
        }
        let legacy_unknown =
            one(site("app", json!({"properties": {"virtualNetworkSubnetId": subnet_id()}})), cfg.clone(), json!([]))
                .unwrap();
        assert_eq!(legacy_unknown.pull_network, PullNetwork::Unknown);
        assert!(legacy_unknown.pull_network_reason.as_deref().unwrap().contains("WEBSITE_PULL_IMAGE_OVER_VNET"));
        assert!(legacy_unknown.subnet_ids.is_empty());
        // A flag without integration does not move pulls into a VNet.
        let no_subnet = one(
            site("app", json!({"properties": {"virtualNetworkSubnetId": "", "outboundVnetRouting": {"imagePullTraffic": true}}})),
            cfg,
            json!([]),
        )
        .unwrap();
        assert_eq!(no_subnet.pull_network, PullNetwork::Public);
    }
}
