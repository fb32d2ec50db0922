//! Client facts: each AKS cluster's node subnets, kubelet identity and egress public IPs.

use super::facts::{ClientFacts, KubeletIdentityFacts};
use crate::model::{parse_resource_id, vnet_key_of_subnet, ManagedCluster, Model};

pub(crate) fn client_facts(model: &Model) -> Vec<ClientFacts> {
    model.managed_clusters.iter().map(|c| one(model, c)).collect()
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
    let mut vnet_ids: Vec<String> = Vec::new();
    for s in &subnet_ids {
        if let Some(v) = vnet_key_of_subnet(s) {
            if !vnet_ids.contains(&v) {
                vnet_ids.push(v);
            }
        }
    }
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
    let outbound_type = p.network_profile.as_ref().and_then(|n| n.outbound_type.clone());
    ClientFacts {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: "aks".into(),
        location: c.location.clone(),
        subscription_id: parse_resource_id(&c.id).subscription,
        egress_ips: egress_ips(model, c, &subnet_ids),
        subnet_ids,
        vnet_ids,
        kubelet_identity: kubelet,
        service_principal_client_id,
        outbound_type,
    }
}

/// Public IPs the cluster's traffic leaves from: a NAT gateway on a node subnet wins over the load balancer
/// (Azure's egress precedence); `userDefinedRouting` egresses wherever the appliance does, which ARM cannot see.
fn egress_ips(model: &Model, c: &ManagedCluster, subnet_ids: &[String]) -> Vec<String> {
    let mut ips: Vec<String> = Vec::new();
    let mut push = |id: &str| {
        if let Some(ip) = model.public_ip_address(id).and_then(|p| p.properties.ip_address.clone()) {
            if !ips.contains(&ip) {
                ips.push(ip);
            }
        }
    };
    let mut via_nat = false;
    for s in subnet_ids {
        let nat = model.subnet(s).and_then(|r| r.subnet.properties.nat_gateway.as_ref());
        if let Some(nat) = nat.and_then(|n| model.nat_gateway(&n.id)) {
            via_nat = true;
            for pip in &nat.properties.public_ip_addresses {
                push(&pip.id);
            }
        }
    }
    if !via_nat {
        let lb = c.properties.network_profile.as_ref().and_then(|n| n.load_balancer_profile.as_ref());
        for pip in lb.map(|l| l.effective_outbound_ips.as_slice()).unwrap_or(&[]) {
            push(&pip.id);
        }
    }
    ips
}
