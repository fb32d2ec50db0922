//! Container groups (`Microsoft.ContainerInstance/containerGroups`, Azure Container Instances) as consumers.
//!
//! **Sign-in**: each `imageRegistryCredentials[]` entry names a `server` and either an `identity` (the
//! user-assigned identity's resource id, api-version 2021-07-01 and later,
//! <https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi>) or a `username`
//! (the password is write-only and never returned). `system` is read as the system-assigned identity, as
//! Container Apps spell it; no resource id can equal it.
//!
//! **Network**: a group with `subnetIds` is injected into that subnet and pulls from it (path analysis; egress
//! through the subnet's NAT gateway when it has one). Without, it pulls from the public network from addresses
//! ARM does not show (`ipAddress.ip` is the group's inbound address). ACI is a trusted service for
//! managed-identity pulls ("Azure Container Instances | Deploy to ACI from ACR using a managed identity | Yes,
//! either system-assigned or user-assigned identity",
//! <https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services>): see
//! [`crate::analysis::public_pull`].

use super::identity::{identity_facts, set};
use super::{registry_entry_login, Consumer, PullFrom};
use crate::analysis::egress::last;
use crate::analysis::facts::{ClientFacts, ClientKind, RegistryLoginFacts};
use crate::model::{ContainerGroup, Model};

/// A container group as a consumer.
pub(super) fn facts(model: &Model, group: &ContainerGroup) -> ClientFacts {
    let p = &group.properties;
    let identity = group.identity.as_ref();
    let images = p.containers.iter().chain(&p.init_containers).filter_map(|c| set(c.properties.image.as_deref()));
    let registry_logins: Vec<RegistryLoginFacts> = p
        .image_registry_credentials
        .iter()
        .enumerate()
        .filter_map(|(i, c)| {
            let source = format!("properties.imageRegistryCredentials[{i}]");
            registry_entry_login(identity, c.server.as_deref(), c.identity.as_deref(), c.username.as_deref(), source)
        })
        .collect();
    let subnet = p.subnet_ids.iter().find_map(|s| set(Some(s.id.as_str())));
    let pull = match subnet {
        Some(subnet) => PullFrom::Vnet {
            subnet: subnet.to_string(),
            reason: format!("the group is injected into subnet {} (subnetIds)", last(subnet)),
            no_nat: format!(
                "subnet {} has no NAT gateway: the group's outbound public address is not known from ARM",
                last(subnet)
            ),
        },
        None => PullFrom::Public {
            egress_ips: vec![],
            egress_unknown: Some(
                "a container group outside a VNet pulls from Azure-managed addresses ARM does not show".into(),
            ),
            reason: "no subnetIds: the group pulls from the public network".into(),
        },
    };
    let mut facts = Consumer {
        id: group.id.clone(),
        name: group.name.clone(),
        kind: ClientKind::Containergroup,
        location: group.location.clone(),
        images: images.map(str::to_string).collect(),
        images_unknown: None,
        identity: identity_facts(identity),
        registry_logins,
        pull,
        parent: None,
    }
    .into_facts(model);
    // Every subnet of the group, not only the first: a group may list more than one.
    for s in p.subnet_ids.iter().skip(1).filter_map(|s| set(Some(s.id.as_str()))) {
        crate::model::push_unique_id(&mut facts.subnet_ids, s);
    }
    facts.vnet_ids = crate::analysis::egress::vnets_of(&facts.subnet_ids);
    facts
}

#[cfg(test)]
mod tests {
    use super::super::test_model::model;
    use super::*;
    use crate::analysis::facts::{IdentityStatus, LoginMethod, PullNetwork};
    use serde_json::{json, Value};

    const RG: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/demo";
    const UAMI: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourceGroups/myResourceGroup/providers/Microsoft.ManagedIdentity/userAssignedIdentities/identity-name";

    /// A group shaped like `ContainerGroupsList.json` (2026-05-01), with `identity` and `subnetIds` as in the
    /// `ContainerGroupsCreateOrUpdate.json` request.
    fn group(extra: Value) -> Value {
        let mut g = json!({
            "id": format!("{RG}/providers/Microsoft.ContainerInstance/containerGroups/demo1"),
            "name": "demo1", "type": "Microsoft.ContainerInstance/containerGroups", "location": "WestUs",
            "identity": {"type": "SystemAssigned, UserAssigned", "principalId": "55555555-5555-5555-5555-555555555555",
                "userAssignedIdentities": {UAMI: {"principalId": "66666666-6666-6666-6666-666666666666",
                    "clientId": "77777777-7777-7777-7777-777777777777"}}},
            "properties": {
                "containers": [{"name": "demo1", "properties": {"image": "azcloudconsoleregistry.azurecr.io/demo:1"}}],
                "initContainers": [{"name": "init", "properties": {"image": "nginx"}}],
                "imageRegistryCredentials": [{"server": "azcloudconsoleregistry.azurecr.io", "username": "azcloudconsoleregistry"}],
                "ipAddress": {"type": "Public", "ip": "10.0.0.1", "ports": [{"port": 80, "protocol": "TCP"}]},
                "osType": "Linux", "provisioningState": "Succeeded"
            }
        });
        if let (Value::Object(p), Value::Object(e)) = (&mut g["properties"], extra) {
            p.extend(e);
        }
        g
    }

    fn network() -> Value {
        json!({
            "Microsoft.Network/virtualNetworks": [{"id": format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet"),
                "name": "vnet", "properties": {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": [
                    {"id": format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci"), "name": "aci",
                     "properties": {"addressPrefix": "10.0.1.0/24",
                        "natGateway": {"id": format!("{RG}/providers/Microsoft.Network/natGateways/nat")}}}]}}],
            "Microsoft.Network/natGateways": [{"id": format!("{RG}/providers/Microsoft.Network/natGateways/nat"),
                "name": "nat", "properties": {"publicIpAddresses": [{"id": format!("{RG}/providers/Microsoft.Network/publicIPAddresses/natip")}]}}],
            "Microsoft.Network/publicIPAddresses": [{"id": format!("{RG}/providers/Microsoft.Network/publicIPAddresses/natip"),
                "name": "natip", "properties": {"ipAddress": "52.1.2.3"}}]
        })
    }

    fn one(group: Value) -> ClientFacts {
        let mut resources = network();
        resources["Microsoft.ContainerInstance/containerGroups"] = json!([group]);
        let m = model(resources, json!({}), json!([]));
        facts(&m, &m.container_groups[0])
    }

    #[test]
    fn credentials_and_identities_of_the_group() {
        let c = one(group(json!({"imageRegistryCredentials": [
            {"server": "azcloudconsoleregistry.azurecr.io", "username": "azcloudconsoleregistry"},
            {"server": "myacr.azurecr.io", "identity": UAMI.to_ascii_lowercase()},
            {"server": "other.azurecr.io", "identity": UAMI.replace("identity-name", "gone")}
        ]})));
        let l = &c.registry_logins;
        assert_eq!((l[0].method, l[0].username.as_deref()), (LoginMethod::Credentials, Some("azcloudconsoleregistry")));
        assert_eq!((l[1].method, l[1].identity_status), (LoginMethod::ManagedIdentity, IdentityStatus::Resolved));
        assert_eq!(l[1].principal_id.as_deref(), Some("66666666-6666-6666-6666-666666666666"));
        assert_eq!(l[2].identity_status, IdentityStatus::NotAssigned);
        assert_eq!(c.images, vec!["azcloudconsoleregistry.azurecr.io/demo:1", "nginx"]);
        assert_eq!(c.kind, ClientKind::Containergroup);
        assert_eq!(
            c.identity.as_ref().unwrap().system_principal_id.as_deref(),
            Some("55555555-5555-5555-5555-555555555555")
        );
    }

    #[test]
    fn subnet_ids_put_the_group_in_a_vnet_with_its_nat_gateway_egress() {
        let aci = format!("{RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/aci");
        let c = one(group(json!({"subnetIds": [{"id": aci, "name": "aci"}]})));
        assert_eq!(c.pull_network, PullNetwork::Vnet);
        assert_eq!(c.subnet_ids, vec![aci]);
        assert_eq!(c.egress_ips, vec!["52.1.2.3"]);
        assert!(c.egress_unknown.is_none());

        let public = one(group(json!({})));
        assert_eq!(public.pull_network, PullNetwork::Public);
        assert!(public.egress_ips.is_empty(), "ipAddress.ip is the inbound address");
        assert!(public.egress_unknown.is_some());
    }
}
