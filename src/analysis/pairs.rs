//! Which client × registry pairs are meant to work, and the per-pair facts.
//!
//! The rule (documented in `docs/facts.md`): pairs listed in a `--pairs` file, or named with `--registry` /
//! `--client`, are analysed (`selected`); otherwise, in this order:
//! - `image_reference`: a consumer (web app, container app, container group, task) runs an image or has a
//!   sign-in entry whose server is the registry's login server;
//! - `own_registry`: an ACR task and the registry it belongs to;
//! - `role_assignment`: an AKS cluster's kubelet identity (or service principal), or a `--client` client's, holds
//!   any role assignment read at that registry's scope; a consumer's own identities count only when its images
//!   are unknown (its configuration could not be read): a consumer whose known images name other registries is
//!   not paired with this one, whatever its roles, or every finding on the pair would be false;
//! - `only_registry`: the registry is the only one in the snapshot (AKS and `--client` clients only).
//!
//! No finding is raised for a pair nobody intended.

use super::consumers::images::{normalise_server, registry_host};
use super::endpoints::CloudSuffixes;
use super::facts::{
    ClientFacts, ClientKind, LoginMethod, PairEndpointFacts, PairFacts, PairReason, PeeringFacts, PrincipalKind,
    PullNetwork, RbacFacts, RegistryFacts, RegistryLoginFacts,
};
use super::peering::peering_between;
use super::public_pull::public_pull;
use super::Selection;
use crate::model::{id_key, Model};

pub(crate) fn pair_facts(
    model: &Model,
    registries: &[RegistryFacts],
    clients: &[ClientFacts],
    selection: &Selection,
) -> Vec<PairFacts> {
    let cloud = CloudSuffixes::of(&model.metadata.cloud.name);
    let servers: Vec<String> = registries.iter().map(|r| login_server(r, cloud)).collect();
    let mut out = Vec::new();
    for client in clients {
        for (registry, server) in registries.iter().zip(&servers) {
            if let Some(reason) = pair_reason(model, registries.len(), registry, server, client, selection) {
                out.push(pair(model, registry, server, client, reason));
            }
        }
    }
    out
}

/// The registry's login server as consumers name it: `loginServer`, else `<name>.<cloud suffix>`, lower-case.
fn login_server(registry: &RegistryFacts, cloud: CloudSuffixes) -> String {
    registry
        .login_server
        .as_deref()
        .and_then(normalise_server)
        .unwrap_or_else(|| format!("{}.{}", registry.name, cloud.registry).to_ascii_lowercase())
}

/// Whether a client is a consumer other than AKS (its images and sign-ins say which registries it uses).
fn is_consumer(kind: ClientKind) -> bool {
    !matches!(kind, ClientKind::Aks | ClientKind::Nic | ClientKind::Vm | ClientKind::Subnet)
}

/// The consumer's sign-in entry for `server`.
fn login_for<'c>(client: &'c ClientFacts, server: &str) -> Option<&'c RegistryLoginFacts> {
    client.registry_logins.iter().find(|l| l.server == server)
}

/// Whether any image or sign-in entry of the consumer names `server`.
fn names_server(client: &ClientFacts, server: &str) -> bool {
    client.images.iter().any(|i| registry_host(i).as_deref() == Some(server)) || login_for(client, server).is_some()
}

fn named(wanted: &[String], id: &str, name: &str) -> bool {
    wanted.iter().any(|w| w.eq_ignore_ascii_case(name) || id_key(w) == id_key(id))
}

fn pair_reason(
    model: &Model,
    registry_count: usize,
    registry: &RegistryFacts,
    server: &str,
    client: &ClientFacts,
    selection: &Selection,
) -> Option<PairReason> {
    if !selection.is_empty() {
        let in_pairs = selection.pairs.iter().any(|(c, r)| {
            named(std::slice::from_ref(c), &client.id, &client.name)
                && named(std::slice::from_ref(r), &registry.id, &registry.name)
        });
        let by_flags = (!selection.registries.is_empty() || !selection.clients.is_empty())
            && (selection.registries.is_empty() || named(&selection.registries, &registry.id, &registry.name))
            && (selection.clients.is_empty() || named(&selection.clients, &client.id, &client.name));
        return (in_pairs || by_flags).then_some(PairReason::Selected);
    }
    let consumer = is_consumer(client.kind);
    if consumer && names_server(client, server) {
        return Some(PairReason::ImageReference);
    }
    let own = client.parent.as_deref().map(|p| id_key(p) == id_key(&registry.id)).unwrap_or(false);
    if client.kind == ClientKind::Task && own {
        return Some(PairReason::OwnRegistry);
    }
    if consumer && client.images_unknown.is_none() {
        return None;
    }
    let principals: Vec<&str> = if consumer {
        client
            .identity
            .iter()
            .flat_map(|i| {
                i.system_principal_id
                    .as_deref()
                    .into_iter()
                    .chain(i.user_assigned.iter().filter_map(|u| u.principal_id.as_deref()))
            })
            .collect()
    } else {
        client
            .kubelet_identity
            .iter()
            .filter_map(|k| k.object_id.as_deref())
            .chain(client.service_principal_client_id.as_deref())
            .collect()
    };
    let assigned = model
        .role_assignments(&registry.id)
        .unwrap_or(&[])
        .iter()
        .any(|a| principals.iter().any(|p| p.eq_ignore_ascii_case(&a.properties.principal_id)));
    if assigned {
        Some(PairReason::RoleAssignment)
    } else if registry_count == 1 && !consumer {
        Some(PairReason::OnlyRegistry)
    } else {
        None
    }
}

fn pair(model: &Model, registry: &RegistryFacts, server: &str, client: &ClientFacts, reason: PairReason) -> PairFacts {
    let mut private_endpoints = Vec::new();
    for pe in &registry.private_endpoints {
        for client_vnet in &client.vnet_ids {
            let peering = match &pe.vnet_id {
                Some(v) => peering_between(model, client_vnet, v),
                None => PeeringFacts::unknown(),
            };
            private_endpoints.push(PairEndpointFacts {
                private_endpoint: pe.id.clone(),
                client_vnet: model.virtual_network(client_vnet).map(|v| v.id.clone()).unwrap_or(client_vnet.clone()),
                endpoint_vnet: pe
                    .vnet_id
                    .as_ref()
                    .map(|v| model.virtual_network(v).map(|n| n.id.clone()).unwrap_or(v.clone())),
                peering,
                transit: None,
            });
        }
    }
    let login = if is_consumer(client.kind) { login_for(client, server) } else { None };
    PairFacts {
        client: client.id.clone(),
        client_name: client.name.clone(),
        registry: registry.id.clone(),
        registry_name: registry.name.clone(),
        reason,
        private_endpoints,
        rbac: if is_consumer(client.kind) {
            consumer_rbac(model, registry, client, login)
        } else {
            rbac_of(model, registry, client)
        },
        appliance_routes: Vec::new(),
        login: login.cloned(),
        admin_credentials: login
            .map(|l| {
                l.method == LoginMethod::Credentials
                    && l.username.as_deref().map(|u| u.trim().eq_ignore_ascii_case(&registry.name)).unwrap_or(false)
            })
            .unwrap_or(false),
        public_pull: (client.pull_network == PullNetwork::Public).then(|| public_pull(registry, client, login)),
    }
}

/// RBAC of a consumer's pull: the managed identity its sign-in resolves to; none for a user name and password
/// (RBAC does not apply), a task (it signs in with the run's token) or a sign-in ARM does not show.
fn consumer_rbac(
    model: &Model,
    registry: &RegistryFacts,
    client: &ClientFacts,
    login: Option<&RegistryLoginFacts>,
) -> RbacFacts {
    let (principal, kind) = match login.map(|l| l.method) {
        _ if client.kind == ClientKind::Task => (None, PrincipalKind::None),
        Some(LoginMethod::ManagedIdentity) => {
            (login.and_then(|l| l.principal_id.as_deref()), PrincipalKind::ManagedIdentity)
        }
        Some(LoginMethod::Credentials) => (None, PrincipalKind::RegistryCredentials),
        Some(LoginMethod::Unknown) | None => (None, PrincipalKind::None),
    };
    super::rbac::rbac_facts(model, &registry.id, principal, kind, None)
}

fn rbac_of(model: &Model, registry: &RegistryFacts, client: &ClientFacts) -> RbacFacts {
    let kubelet = client.kubelet_identity.as_ref();
    let (principal, kind) = match (kubelet.and_then(|k| k.object_id.as_deref()), &client.service_principal_client_id) {
        (_, Some(_)) => (None, PrincipalKind::ServicePrincipal),
        (Some(oid), None) => (Some(oid), PrincipalKind::KubeletIdentity),
        (None, None) => (None, PrincipalKind::None),
    };
    let cluster = model.managed_cluster(&client.id);
    let node_rg = cluster.and_then(|c| c.properties.node_resource_group.as_deref());
    let identity = kubelet.and_then(|k| k.resource_id.as_deref());
    let node = node_rg.zip(identity);
    super::rbac::rbac_facts(model, &registry.id, principal, kind, node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::consumers::test_model::model;
    use crate::analysis::facts::{IdentityStatus, PublicPullVerdict};
    use serde_json::{json, Value};

    const RG: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/rg";
    const ACR_PULL: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d";

    fn reg_id(name: &str) -> String {
        format!("{RG}/providers/Microsoft.ContainerRegistry/registries/{name}")
    }

    fn registry(name: &str, login_server: Option<&str>) -> Value {
        let mut r = json!({"id": reg_id(name), "name": name, "location": "eastus", "sku": {"name": "Premium"},
            "properties": {"publicNetworkAccess": "Disabled", "adminUserEnabled": true,
                "networkRuleBypassOptions": "AzureServices", "networkRuleBypassAllowedForTasks": false}});
        if let Some(l) = login_server {
            r["properties"]["loginServer"] = json!(l);
        }
        r
    }

    fn assignment(registry: &str, principal: &str) -> Value {
        json!({"parentId": reg_id(registry), "value": [{"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/a-{principal}", reg_id(registry)),
            "properties": {"roleDefinitionId": ACR_PULL, "principalId": principal, "principalType": "ServicePrincipal",
                "scope": reg_id(registry)}}]})
    }

    fn site(name: &str, principal: &str) -> Value {
        json!({"id": format!("{RG}/providers/Microsoft.Web/sites/{name}"), "name": name, "kind": "app,linux,container",
            "location": "East US", "identity": {"type": "SystemAssigned", "principalId": principal},
            "properties": {"outboundIpAddresses": "70.37.102.201,20.225.43.144"}})
    }

    fn site_config(name: &str, fx: &str) -> Value {
        let id = format!("{RG}/providers/Microsoft.Web/sites/{name}");
        json!({"parentId": id, "value": [{"id": format!("{id}/config/web"), "name": "web",
            "properties": {"linuxFxVersion": fx, "acrUseManagedIdentityCreds": true, "acrUserManagedIdentityID": ""}}]})
    }

    fn container_app(name: &str, principal: &str, registries: Value, image: &str) -> Value {
        json!({"id": format!("{RG}/providers/Microsoft.App/containerApps/{name}"), "name": name, "location": "East US",
            "identity": {"type": "SystemAssigned", "principalId": principal},
            "properties": {"managedEnvironmentId": format!("{RG}/providers/Microsoft.App/managedEnvironments/env"),
                "configuration": {"registries": registries},
                "template": {"containers": [{"name": name, "image": image}]}}})
    }

    fn pairs(m: &Model) -> Vec<(String, String, PairReason)> {
        let registries = crate::analysis::registry::registry_facts(m);
        let clients = crate::analysis::clients::client_facts(m, &[]);
        pair_facts(m, &registries, &clients, &Selection::default())
            .into_iter()
            .map(|p| (p.client_name, p.registry_name, p.reason))
            .collect()
    }

    /// Two registries; consumers name one of them by image or sign-in, hold roles on the other.
    fn estate() -> Model {
        model(
            json!({
                "Microsoft.ContainerRegistry/registries": [registry("contosoacr", Some("ContosoAcr.azurecr.io")), registry("fabrikamacr", None)],
                "Microsoft.Web/sites": [site("web-known", "p-web-known"), site("web-unread", "p-web-unread")],
                "Microsoft.App/containerApps": [
                    container_app("app-image", "p-app-image", json!([]), "contosoacr.azurecr.io/app:1"),
                    container_app("app-login", "p-app-login", json!([{"server": "fabrikamacr.azurecr.io", "username": "FabrikamACR", "passwordSecretRef": "pw"}]), "nginx"),
                    container_app("app-hub", "p-app-hub", json!([]), "nginx")
                ],
                "Microsoft.App/managedEnvironments": [{"id": format!("{RG}/providers/Microsoft.App/managedEnvironments/env"), "name": "env", "properties": {}}]
            }),
            json!({
                "Microsoft.Web/sites/config": [site_config("web-known", "DOCKER|contosoacr.azurecr.io/web:1")],
                "Microsoft.ContainerRegistry/registries/tasks": [{"parentId": reg_id("fabrikamacr"), "value": [{
                    "id": format!("{}/tasks/build", reg_id("fabrikamacr")), "name": "build",
                    "identity": {"type": "SystemAssigned", "principalId": "p-task"},
                    "properties": {"step": {"type": "Docker", "imageNames": ["app:{{.Run.ID}}"]}}}]}],
                "Microsoft.Authorization/roleAssignments": [
                    {"parentId": reg_id("fabrikamacr"), "value": [
                        assignment("fabrikamacr", "p-web-known")["value"][0].clone(),
                        assignment("fabrikamacr", "p-web-unread")["value"][0].clone(),
                        assignment("fabrikamacr", "p-app-image")["value"][0].clone(),
                        assignment("fabrikamacr", "p-app-hub")["value"][0].clone()]},
                    {"parentId": reg_id("contosoacr"), "value": []}
                ]
            }),
            json!([{"scope": format!("{RG}/providers/Microsoft.Web/sites/web-unread"), "resourceType": "Microsoft.Web/sites/config",
                "status": 403, "code": "AuthorizationFailed", "message": "denied"}]),
        )
    }

    #[test]
    fn consumers_pair_by_image_sign_in_own_registry_or_roles_when_images_are_unknown() {
        let m = estate();
        let got = pairs(&m);
        let want = [
            ("web-known", "contosoacr", PairReason::ImageReference),
            ("web-unread", "fabrikamacr", PairReason::RoleAssignment),
            ("app-image", "contosoacr", PairReason::ImageReference),
            ("app-login", "fabrikamacr", PairReason::ImageReference),
            ("build", "fabrikamacr", PairReason::OwnRegistry),
        ];
        let want: Vec<(String, String, PairReason)> =
            want.iter().map(|(c, r, why)| (c.to_string(), r.to_string(), *why)).collect();
        // No pair of a consumer whose known images name another registry, whatever its roles (web-known,
        // app-image and app-hub hold AcrPull on fabrikamacr).
        assert_eq!(got, want);
    }

    #[test]
    fn the_pair_carries_the_sign_in_its_rbac_and_admin_credentials() {
        let m = estate();
        let registries = crate::analysis::registry::registry_facts(&m);
        let clients = crate::analysis::clients::client_facts(&m, &[]);
        let all = pair_facts(&m, &registries, &clients, &Selection::default());
        let find = |c: &str| all.iter().find(|p| p.client_name == c).unwrap();

        let web = find("web-known");
        let login = web.login.as_ref().unwrap();
        assert_eq!((login.server.as_str(), login.identity_status), ("contosoacr.azurecr.io", IdentityStatus::Resolved));
        assert_eq!(web.rbac.principal_kind, PrincipalKind::ManagedIdentity);
        assert_eq!(web.rbac.principal_id.as_deref(), Some("p-web-known"));
        assert!(!web.admin_credentials);
        let public = web.public_pull.as_ref().unwrap();
        assert_eq!(public.verdict, PublicPullVerdict::Blocked);

        let admin = find("app-login");
        assert!(admin.admin_credentials, "user name equal to the registry name (any case) is the admin user");
        assert_eq!(admin.rbac.principal_kind, PrincipalKind::RegistryCredentials);
        assert!(admin.rbac.principal_id.is_none());
        assert_eq!(
            admin.public_pull.as_ref().unwrap().verdict,
            PublicPullVerdict::Blocked,
            "no VNet, public access disabled"
        );

        let image_only = find("app-image");
        assert!(image_only.login.is_none());
        assert_eq!(image_only.rbac.principal_kind, PrincipalKind::None);

        let task = find("build");
        assert_eq!(task.rbac.principal_kind, PrincipalKind::None);
        assert_eq!(task.public_pull.as_ref().unwrap().verdict, PublicPullVerdict::Blocked);
    }

    #[test]
    fn only_registry_pairs_no_consumer_and_the_name_decides_without_a_login_server() {
        let m = model(
            json!({
                "Microsoft.ContainerRegistry/registries": [registry("solo", None)],
                "Microsoft.App/containerApps": [container_app("hub", "p1", json!([]), "nginx"),
                    container_app("named", "p2", json!([]), "SOLO.azurecr.io/x:1")],
                "Microsoft.ContainerService/managedClusters": [{"id": format!("{RG}/providers/Microsoft.ContainerService/managedClusters/aks"),
                    "name": "aks", "location": "eastus", "properties": {"agentPoolProfiles": []}}]
            }),
            json!({}),
            json!([]),
        );
        let registries = crate::analysis::registry::registry_facts(&m);
        let clients = crate::analysis::clients::client_facts(&m, &[]);
        let aks = pair_facts(&m, &registries, &clients, &Selection::default()).remove(0);
        assert!(aks.public_pull.is_none() && aks.login.is_none(), "AKS pulls from its subnets");
        let got = pairs(&m);
        assert_eq!(
            got,
            vec![
                ("aks".to_string(), "solo".to_string(), PairReason::OnlyRegistry),
                ("named".to_string(), "solo".to_string(), PairReason::ImageReference)
            ]
        );
    }

    #[test]
    fn a_selection_still_comes_first() {
        let m = estate();
        let registries = crate::analysis::registry::registry_facts(&m);
        let clients = crate::analysis::clients::client_facts(&m, &["app-hub".to_string()]);
        let selection = Selection { clients: vec!["app-hub".into()], ..Selection::default() };
        let got: Vec<(String, PairReason)> = pair_facts(&m, &registries, &clients, &selection)
            .into_iter()
            .map(|p| (p.registry_name, p.reason))
            .collect();
        assert_eq!(
            got,
            vec![("contosoacr".into(), PairReason::Selected), ("fabrikamacr".into(), PairReason::Selected)]
        );
    }

    /// End to end: a VNet-injected container group gets paths from its subnet and no public-pull verdict; a
    /// container app whose environment is not in the snapshot gets neither a path nor a verdict.
    #[test]
    fn vnet_consumers_get_paths_and_unknown_networks_get_no_verdict() {
        let subnet = format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci");
        let m = model(
            json!({
                "Microsoft.ContainerRegistry/registries": [registry("contosoacr", Some("contosoacr.azurecr.io"))],
                "Microsoft.Network/virtualNetworks": [{"id": format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet"),
                    "name": "vnet", "location": "eastus", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
                    "subnets": [{"id": subnet, "name": "aci", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}],
                "Microsoft.ContainerInstance/containerGroups": [{"id": format!("{RG}/providers/Microsoft.ContainerInstance/containerGroups/cg"),
                    "name": "cg", "location": "eastus", "properties": {
                        "containers": [{"name": "c", "properties": {"image": "contosoacr.azurecr.io/app:1"}}],
                        "imageRegistryCredentials": [{"server": "contosoacr.azurecr.io", "username": "contosoacr"}],
                        "subnetIds": [{"id": subnet}]}}],
                "Microsoft.App/containerApps": [container_app("lost", "p-lost", json!([]), "contosoacr.azurecr.io/app:1")]
            }),
            json!({}),
            json!([]),
        );
        let facts = crate::analysis::analyse(&m, &Selection::default());
        let cg = facts.pairs.iter().find(|p| p.client_name == "cg").unwrap();
        assert_eq!(cg.reason, PairReason::ImageReference);
        assert!(cg.admin_credentials);
        assert!(cg.public_pull.is_none());
        assert!(
            facts.paths.iter().any(|p| p.client == cg.client && p.subnet == subnet),
            "paths from the group's subnet"
        );
        let lost = facts.pairs.iter().find(|p| p.client_name == "lost").unwrap();
        assert!(lost.public_pull.is_none());
        assert!(!facts.paths.iter().any(|p| p.client == lost.client));
        let client = facts.clients.iter().find(|c| c.name == "lost").unwrap();
        assert_eq!(client.pull_network, PullNetwork::Unknown);
    }
}
