//! Consumers beyond AKS: every workload ARM shows pulling images, as client facts. One file per kind:
//! [`webapp`] (App Service and Functions container sites), [`container_app`], [`container_group`] (Azure
//! Container Instances), [`task`] (ACR Tasks); [`identity`] resolves the identity a sign-in names and
//! [`images`] the registry host of an image reference.
//!
//! Each consumer says where its pulls leave from (`pull_network`): from a subnet (`vnet`: the pair gets full
//! path analysis, as an AKS cluster does), from the public network (`public`: `pairs[_].public_pull` judges it
//! against the registry's network rules, see [`super::public_pull`]), or `unknown`.

mod container_app;
mod container_group;
pub(crate) mod identity;
pub(crate) mod images;
mod task;
mod webapp;

use super::egress::{vnets_of, Egress};
use super::facts::RegistryLoginFacts;
use super::facts::{ClientFacts, ClientKind, IdentityStatus, LoginMethod, ManagedIdentityFacts, PullNetwork};
use crate::model::{parse_resource_id, Model};

/// Every consumer of the snapshot other than AKS clusters, in a stable order: container sites, container apps,
/// container groups, then each registry's tasks.
pub(crate) fn consumer_facts(model: &Model) -> Vec<ClientFacts> {
    let mut out: Vec<ClientFacts> = model.web_sites.iter().filter_map(|s| webapp::facts(model, s)).collect();
    out.extend(model.container_apps.iter().map(|a| container_app::facts(model, a)));
    out.extend(model.container_groups.iter().map(|g| container_group::facts(model, g)));
    for registry in &model.registries {
        for t in model.registry_tasks(&registry.id).unwrap_or_default() {
            out.push(task::facts(model, registry, t));
        }
    }
    out
}

/// Where a consumer's pulls leave from, as decided by its kind's file.
#[derive(Debug)]
pub(crate) enum PullFrom {
    /// From this subnet; `no_nat` says why the egress address is unknown when the subnet has no NAT gateway.
    Vnet { subnet: String, reason: String, no_nat: String },
    /// From the public network, from these addresses (or `egress_unknown`).
    Public { egress_ips: Vec<String>, egress_unknown: Option<String>, reason: String },
    /// Not knowable from the snapshot.
    Unknown { reason: String },
}

/// What each kind's file finds about one consumer.
pub(crate) struct Consumer {
    pub id: String,
    pub name: String,
    pub kind: ClientKind,
    pub location: String,
    pub images: Vec<String>,
    pub images_unknown: Option<String>,
    pub identity: ManagedIdentityFacts,
    pub registry_logins: Vec<RegistryLoginFacts>,
    pub pull: PullFrom,
    pub parent: Option<String>,
}

impl Consumer {
    /// The client facts: the pull network's subnet (with its NAT gateway's egress) or public egress, then the
    /// facts that depend on the subnet.
    pub(crate) fn into_facts(self, model: &Model) -> ClientFacts {
        let mut egress = Egress::default();
        let (subnet_ids, pull_network, reason) = match self.pull {
            PullFrom::Vnet { subnet, reason, no_nat } => {
                if model.subnet(&subnet).is_none() {
                    egress.unknown(format!(
                        "subnet {} is not in the snapshot: its NAT gateway is unknown",
                        super::egress::last(&subnet)
                    ));
                } else {
                    egress.of_subnet(model, &subnet, &[], &mut |e| e.unknown(no_nat.clone()));
                }
                (vec![subnet], PullNetwork::Vnet, reason)
            }
            PullFrom::Public { egress_ips, egress_unknown, reason } => {
                for ip in egress_ips {
                    egress.ip(ip);
                }
                if let Some(why) = egress_unknown {
                    egress.unknown(why);
                }
                (vec![], PullNetwork::Public, reason)
            }
            PullFrom::Unknown { reason } => {
                egress.unknown(format!("where the pulls leave from is unknown: {reason}"));
                (vec![], PullNetwork::Unknown, reason)
            }
        };
        ClientFacts {
            subscription_id: parse_resource_id(&self.id).subscription,
            id: self.id,
            name: self.name,
            kind: self.kind,
            location: self.location,
            vnet_ids: vnets_of(&subnet_ids),
            subnet_ids,
            egress_unknown: egress.unknown_reason(),
            egress_ips: egress.ips,
            egress_prefixes: egress.prefixes,
            images: self.images,
            images_unknown: self.images_unknown,
            identity: Some(self.identity),
            registry_logins: self.registry_logins,
            pull_network,
            pull_network_reason: Some(reason),
            parent: self.parent,
            ..ClientFacts::vnet_defaults()
        }
        .with_subnet_facts(model)
    }
}

/// A sign-in with a managed identity: `configured` as the resource names it, resolved on the consumer.
pub(crate) fn identity_login(
    server: String,
    configured: String,
    resolved: (IdentityStatus, Option<String>),
    source: String,
) -> RegistryLoginFacts {
    RegistryLoginFacts {
        server,
        method: LoginMethod::ManagedIdentity,
        identity: Some(configured),
        principal_id: resolved.1,
        identity_status: resolved.0,
        username: None,
        source,
    }
}

/// One registry entry of a container app (`configuration.registries[i]`) or container group
/// (`imageRegistryCredentials[i]`): its `server`, and either an `identity` (`system` or a user-assigned identity's
/// resource id, resolved on the consumer's `identity`) or a `username`. `None` when the entry names no server.
pub(crate) fn registry_entry_login(
    consumer_identity: Option<&crate::model::ManagedServiceIdentity>,
    server: Option<&str>,
    identity: Option<&str>,
    username: Option<&str>,
    source: String,
) -> Option<RegistryLoginFacts> {
    use identity::{resolve, set, IdentityRef};
    let server = images::normalise_server(server.unwrap_or(""))?;
    Some(match set(identity) {
        Some(id) => {
            let wanted =
                if id.eq_ignore_ascii_case("system") { IdentityRef::System } else { IdentityRef::ResourceId(id) };
            identity_login(server, id.to_string(), resolve(consumer_identity, wanted), source)
        }
        None => other_login(server, set(username).map(str::to_string), source),
    })
}

/// A sign-in with a user name and password, or (`username: None`) one whose method ARM does not show.
pub(crate) fn other_login(server: String, username: Option<String>, source: String) -> RegistryLoginFacts {
    RegistryLoginFacts {
        server,
        method: if username.is_some() { LoginMethod::Credentials } else { LoginMethod::Unknown },
        identity: None,
        principal_id: None,
        identity_status: IdentityStatus::NotApplicable,
        username,
        source,
    }
}

/// The public egress addresses of a comma-separated ARM list (`"70.37.102.201,20.225.43.144"`), trimmed,
/// empty items dropped.
pub(crate) fn comma_list(text: Option<&str>) -> Vec<String> {
    text.unwrap_or("").split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[cfg(test)]
pub(crate) mod test_model {
    //! A model from a snapshot of resources and children, as the collector writes them.
    use crate::model::Model;
    use crate::snapshot::parse_snapshot;

    pub(crate) fn model(resources: serde_json::Value, children: serde_json::Value, errors: serde_json::Value) -> Model {
        let doc = serde_json::json!({"schema": "acr-audit/snapshot/v1", "resources": resources, "children": children,
            "errors": errors});
        let bytes = serde_json::to_vec(&doc).unwrap();
        Model::from_snapshot(parse_snapshot(&bytes, std::path::Path::new("t.json")).expect("snapshot"))
    }
}
