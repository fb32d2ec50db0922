//! Client facts: each AKS cluster's node subnets, kubelet identity and egress public IPs.

use super::facts::{
    ClientFacts, ClientKind, KubeletIdentityFacts, OutboundType, ProviderRegistrationFacts, RegistrationState,
};
use crate::model::{id_key, parse_resource_id, vnet_key_of_subnet, ManagedCluster, Model, NetworkInterface};

/// Every AKS cluster, plus each subnet, NIC or VM named with `--client` that is not a cluster.
pub(crate) fn client_facts(model: &Model, named: &[String]) -> Vec<ClientFacts> {
    let mut out: Vec<ClientFacts> = model.managed_clusters.iter().map(|c| one(model, c)).collect();
    for name in named {
        let is_cluster = out.iter().any(|c| c.name.eq_ignore_ascii_case(name) || id_key(&c.id) == id_key(name));
        if is_cluster {
            continue;
        }
        if let Some(client) = named_client(model, name) {
            out.push(client);
        }
    }
    out
}

/// A NIC (by id or name), a VM (its NICs) or a subnet (by id or name) as a client.
fn named_client(model: &Model, name: &str) -> Option<ClientFacts> {
    let matches = |id: &str, n: &str| n.eq_ignore_ascii_case(name) || id_key(id) == id_key(name);
    let nics: Vec<&NetworkInterface> = match model.network_interfaces.iter().find(|n| matches(&n.id, &n.name)) {
        Some(nic) => vec![nic],
        None => model
            .network_interfaces
            .iter()
            .filter(|n| {
                n.properties
                    .virtual_machine
                    .as_ref()
                    .map(|vm| {
                        id_key(&vm.id) == id_key(name)
                            || vm.id.rsplit('/').next().map(|v| v.eq_ignore_ascii_case(name)).unwrap_or(false)
                    })
                    .unwrap_or(false)
            })
            .collect(),
    };
    if !nics.is_empty() {
        let first = nics[0];
        let kind = if matches(&first.id, &first.name) { ClientKind::Nic } else { ClientKind::Vm };
        let configs = nics.iter().flat_map(|n| n.properties.ip_configurations.iter());
        let mut subnet_ids: Vec<String> = Vec::new();
        let mut sources = Vec::new();
        let mut asgs = Vec::new();
        let mut egress = Vec::new();
        for c in configs {
            let p = &c.properties;
            if let Some(s) = &p.subnet {
                if !subnet_ids.iter().any(|x| id_key(x) == id_key(&s.id)) {
                    subnet_ids.push(s.id.clone());
                }
            }
            sources.extend(p.private_ip_address.clone());
            asgs.extend(p.application_security_groups.iter().map(|a| id_key(&a.id)));
            if let Some(ip) = p.public_ip_address.as_ref().and_then(|r| model.public_ip_address(&r.id)) {
                egress.extend(ip.properties.ip_address.clone());
            }
        }
        if egress.is_empty() {
            egress = nat_egress(model, &subnet_ids).unwrap_or_default();
        }
        let name_out = if kind == ClientKind::Vm {
            name.rsplit('/').next().unwrap_or(name).to_string()
        } else {
            first.name.clone()
        };
        return Some(
            ClientFacts {
                id: if kind == ClientKind::Vm {
                    nics[0].properties.virtual_machine.as_ref().map(|v| v.id.clone()).unwrap_or_default()
                } else {
                    first.id.clone()
                },
                name: name_out,
                kind,
                location: String::new(),
                subscription_id: parse_resource_id(&first.id).subscription,
                vnet_ids: vnets_of(&subnet_ids),
                subnet_ids,
                kubelet_identity: None,
                service_principal_client_id: None,
                outbound_type: None,
                egress_ips: egress,
                nic_ids: nics.iter().map(|n| n.id.clone()).collect(),
                source_addresses: sources,
                application_security_groups: Some(asgs),
                acr_service_endpoint_subnets: vec![],
                acr_provider_registrations: vec![],
            }
            .with_subnet_facts(model),
        );
    }
    let subnet =
        model.virtual_networks.iter().flat_map(|v| v.properties.subnets.iter()).find(|s| matches(&s.id, &s.name))?;
    let subnet_ids = vec![subnet.id.clone()];
    Some(
        ClientFacts {
            id: subnet.id.clone(),
            name: subnet.name.clone(),
            kind: ClientKind::Subnet,
            location: String::new(),
            subscription_id: parse_resource_id(&subnet.id).subscription,
            vnet_ids: vnets_of(&subnet_ids),
            egress_ips: nat_egress(model, &subnet_ids).unwrap_or_default(),
            subnet_ids,
            kubelet_identity: None,
            service_principal_client_id: None,
            outbound_type: None,
            nic_ids: vec![],
            source_addresses: vec![],
            application_security_groups: None,
            acr_service_endpoint_subnets: vec![],
            acr_provider_registrations: vec![],
        }
        .with_subnet_facts(model),
    )
}

fn vnets_of(subnet_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in subnet_ids.iter().filter_map(|s| vnet_key_of_subnet(s)) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Public IPs of the NAT gateways on these subnets, if any subnet has one.
fn nat_egress(model: &Model, subnet_ids: &[String]) -> Option<Vec<String>> {
    let mut ips: Vec<String> = Vec::new();
    let mut found = false;
    for s in subnet_ids {
        let nat = model.subnet(s).and_then(|r| r.subnet.properties.nat_gateway.as_ref());
        if let Some(nat) = nat.and_then(|n| model.nat_gateway(&n.id)) {
            found = true;
            for pip in &nat.properties.public_ip_addresses {
                if let Some(ip) = model.public_ip_address(&pip.id).and_then(|p| p.properties.ip_address.clone()) {
                    if !ips.contains(&ip) {
                        ips.push(ip);
                    }
                }
            }
        }
    }
    found.then_some(ips)
}

fn one(model: &Model, c: &ManagedCluster) -> ClientFacts {
    let p = &c.properties;
    let mut subnet_ids: Vec<String> = Vec::new();
    for pool in &p.agent_pool_profiles {
        if let Some(s) = &pool.vnet_subnet_id {
            if !subnet_ids.iter().any(|x| x.eq_ignore_ascii_case(s)) {
                subnet_ids.push(s.clone());
            }
        }
    }
    let vnet_ids = vnets_of(&subnet_ids);
    let kubelet = p.identity_profile.iter().find(|(k, _)| k.eq_ignore_ascii_case("kubeletidentity")).map(|(_, i)| {
        KubeletIdentityFacts {
            object_id: i.object_id.clone(),
            client_id: i.client_id.clone(),
            resource_id: i.resource_id.clone(),
        }
    });
    let service_principal_client_id = p
        .service_principal_profile
        .as_ref()
        .and_then(|s| s.client_id.clone())
        .filter(|id| !id.eq_ignore_ascii_case("msi"));
    let outbound_type = p.network_profile.as_ref().and_then(|n| n.outbound_type.as_deref()).map(OutboundType::parse);
    ClientFacts {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: ClientKind::Aks,
        location: c.location.clone(),
        subscription_id: parse_resource_id(&c.id).subscription,
        egress_ips: egress_ips(model, c, &subnet_ids),
        subnet_ids,
        vnet_ids,
        kubelet_identity: kubelet,
        service_principal_client_id,
        outbound_type,
        nic_ids: vec![],
        source_addresses: vec![],
        application_security_groups: None,
        acr_service_endpoint_subnets: vec![],
        acr_provider_registrations: vec![],
    }
    .with_subnet_facts(model)
}

/// Public IPs the cluster's traffic leaves from: a NAT gateway on a node subnet wins over the load balancer
/// (Azure's egress precedence); `userDefinedRouting` egresses wherever the appliance does, which ARM cannot see.
fn egress_ips(model: &Model, c: &ManagedCluster, subnet_ids: &[String]) -> Vec<String> {
    if let Some(ips) = nat_egress(model, subnet_ids) {
        return ips;
    }
    let lb = c.properties.network_profile.as_ref().and_then(|n| n.load_balancer_profile.as_ref());
    let mut ips: Vec<String> = Vec::new();
    for pip in lb.map(|l| l.effective_outbound_ips.as_slice()).unwrap_or(&[]) {
        if let Some(ip) = model.public_ip_address(&pip.id).and_then(|p| p.properties.ip_address.clone()) {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    }
    ips
}

impl ClientFacts {
    /// Fill the facts that depend on the client's subnets: ACR service endpoints and, per VNet subscription,
    /// the `Microsoft.ContainerRegistry` registration state.
    fn with_subnet_facts(mut self, model: &Model) -> ClientFacts {
        self.acr_service_endpoint_subnets = self
            .subnet_ids
            .iter()
            .filter(|s| {
                model
                    .subnet(s)
                    .map(|r| {
                        r.subnet
                            .properties
                            .service_endpoints
                            .iter()
                            .any(|e| e.service.eq_ignore_ascii_case("Microsoft.ContainerRegistry"))
                    })
                    .unwrap_or(false)
            })
            .cloned()
            .collect();
        let mut subs: Vec<String> = self.subnet_ids.iter().filter_map(|s| parse_resource_id(s).subscription).collect();
        subs.sort();
        subs.dedup();
        self.acr_provider_registrations = subs
            .into_iter()
            .filter_map(|sub| {
                let provider = model.providers.iter().find(|p| {
                    p.namespace.eq_ignore_ascii_case("Microsoft.ContainerRegistry")
                        && parse_resource_id(&p.id).subscription.map(|s| s.eq_ignore_ascii_case(&sub)).unwrap_or(false)
                })?;
                Some(ProviderRegistrationFacts {
                    subscription_id: sub,
                    registration_state: provider
                        .registration_state
                        .as_deref()
                        .map(RegistrationState::parse)
                        .unwrap_or(RegistrationState::Unknown),
                })
            })
            .collect();
        self
    }
}
