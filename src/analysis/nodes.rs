//! The nodes of an AKS cluster as ARM shows them: the VM scale sets and VMs in its node resource group, each
//! with the pool it belongs to, the subnets its NICs sit in, its public IP configuration and its identities.
//!
//! A cluster created without `vnetSubnetID` (kubenet or Azure CNI overlay on the AKS-managed VNet) names no
//! subnet in its own resource: the node subnet is only visible on the nodes. `VirtualMachineScaleSets` pools
//! are scale sets (`virtualMachineProfile.networkProfile`); `VirtualMachines` pools and node auto-provisioning
//! create plain VMs, whose NICs (`Microsoft.Network/networkInterfaces`, read per subscription) carry the subnet
//! and any instance-level public IP.

use crate::model::{parse_resource_id, push_unique_id, ManagedCluster, Model, VirtualMachine, VirtualMachineScaleSet};

/// The tags AKS puts on the scale sets and VMs of a pool: `aks-managed-poolName` and the older `poolName`, as
/// the cluster autoscaler reads them (kubernetes/autoscaler, `cluster-autoscaler/cloudprovider/azure/azure_cache.go`:
/// `agentpoolNameTag = "aks-managed-poolName"`, `legacyAgentpoolNameTag = "poolName"`).
const POOL_TAGS: [&str; 2] = ["aks-managed-poolName", "poolName"];

/// How a node gets an instance-level public IP (its egress address when no NAT gateway serves its subnet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NodePublicIp {
    /// No instance-level public IP.
    None,
    /// Addresses taken from this public IP prefix (id).
    Prefix(String),
    /// A known address (a VM NIC's public IP resource, read).
    Address(String),
    /// A public IP whose address ARM list data does not give (a per-instance VMSS address, or a public IP
    /// resource not in the snapshot); the text says which.
    Unknowable(String),
}

/// One scale set or VM in the node resource group.
#[derive(Debug, Clone)]
pub(crate) struct NodeMachine<'m> {
    /// ARM id.
    pub id: &'m str,
    /// The pool it belongs to, from its tags or its `aks-<pool>-…` name.
    pub pool: Option<String>,
    /// Subnets its NICs sit in (ids as ARM wrote them).
    pub subnets: Vec<String>,
    /// Instance-level public IP configuration, one per IP configuration that has one.
    pub public_ips: Vec<NodePublicIp>,
    /// User-assigned identity ids on it.
    pub identities: Vec<&'m str>,
}

/// The scale sets and VMs of a cluster's node resource group (same subscription as the cluster).
pub(crate) fn node_machines<'m>(model: &'m Model, cluster: &ManagedCluster) -> Vec<NodeMachine<'m>> {
    let Some(rg) = cluster.properties.node_resource_group.as_deref() else {
        return vec![];
    };
    let sub = parse_resource_id(&cluster.id).subscription;
    machines_in(model, sub.as_deref(), rg)
}

/// The scale sets and AKS-managed VMs of one resource group (in `subscription`, or in any when `None`).
pub(crate) fn machines_in<'m>(model: &'m Model, subscription: Option<&str>, rg: &str) -> Vec<NodeMachine<'m>> {
    let in_rg = |id: &str| {
        let p = parse_resource_id(id);
        let sub_ok = match subscription {
            Some(want) => p.subscription.map(|s| s.eq_ignore_ascii_case(want)).unwrap_or(false),
            None => true,
        };
        sub_ok && p.resource_group.map(|r| r.eq_ignore_ascii_case(rg)).unwrap_or(false)
    };
    let mut out: Vec<NodeMachine<'m>> =
        model.virtual_machine_scale_sets.iter().filter(|v| in_rg(&v.id)).map(scale_set).collect();
    out.extend(model.virtual_machines.iter().filter(|v| in_rg(&v.id) && aks_managed_vm(v)).map(|v| vm(model, v)));
    out
}

/// A VM AKS created: tagged with a pool (or any `aks-managed-*` tag), or named `aks-…`. Other VMs someone put in
/// the node resource group are not nodes.
fn aks_managed_vm(v: &VirtualMachine) -> bool {
    v.tags.keys().any(|k| k.to_ascii_lowercase().starts_with("aks-managed-") || k.eq_ignore_ascii_case("poolName"))
        || v.name.to_ascii_lowercase().starts_with("aks-")
}

fn pool_of(tags: &std::collections::BTreeMap<String, String>, name: &str) -> Option<String> {
    for tag in POOL_TAGS {
        if let Some((_, v)) = tags.iter().find(|(k, v)| k.eq_ignore_ascii_case(tag) && !v.is_empty()) {
            return Some(v.clone());
        }
    }
    // AKS names a pool's scale set `aks-<pool>-<hash>-vmss` and its VMs `aks-<pool>-<hash>-vms<n>`; pool names
    // are lowercase alphanumerics, so the second dash-separated part is the pool.
    let mut parts = name.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(pool), Some(_)) if a.eq_ignore_ascii_case("aks") && !pool.is_empty() => Some(pool.to_string()),
        _ => None,
    }
}

fn scale_set(v: &VirtualMachineScaleSet) -> NodeMachine<'_> {
    let mut subnets = Vec::new();
    let mut public_ips = Vec::new();
    let configs = v
        .properties
        .virtual_machine_profile
        .as_ref()
        .and_then(|p| p.network_profile.as_ref())
        .map(|n| n.network_interface_configurations.as_slice())
        .unwrap_or(&[]);
    for ip in configs.iter().flat_map(|n| n.properties.ip_configurations.iter()) {
        if let Some(s) = &ip.properties.subnet {
            push_unique_id(&mut subnets, &s.id);
        }
        if let Some(pip) = &ip.properties.public_ip_address_configuration {
            public_ips.push(match &pip.properties.public_ip_prefix {
                Some(prefix) if !prefix.id.is_empty() => NodePublicIp::Prefix(prefix.id.clone()),
                _ => NodePublicIp::Unknowable(format!(
                    "scale set {} gives each instance its own public IP, allocated per instance (not in ARM list data)",
                    v.name
                )),
            });
        }
    }
    NodeMachine {
        id: &v.id,
        pool: pool_of(&v.tags, &v.name),
        subnets,
        public_ips,
        identities: identities(v.identity.as_ref()),
    }
}

fn vm<'m>(model: &'m Model, v: &'m VirtualMachine) -> NodeMachine<'m> {
    let mut subnets = Vec::new();
    let mut public_ips = Vec::new();
    let nics = v.properties.network_profile.as_ref().map(|n| n.network_interfaces.as_slice()).unwrap_or(&[]);
    for nic in nics.iter().filter_map(|r| model.network_interface(&r.id)) {
        for ip in &nic.properties.ip_configurations {
            if let Some(s) = &ip.properties.subnet {
                push_unique_id(&mut subnets, &s.id);
            }
            if let Some(pip) = &ip.properties.public_ip_address {
                public_ips.push(match model.public_ip_address(&pip.id).and_then(|p| p.properties.ip_address.clone()) {
                    Some(addr) => NodePublicIp::Address(addr),
                    None => NodePublicIp::Unknowable(format!(
                        "VM {} has public IP {} whose address is not in the snapshot",
                        v.name,
                        pip.id.rsplit('/').next().unwrap_or(&pip.id)
                    )),
                });
            }
        }
    }
    NodeMachine {
        id: &v.id,
        pool: pool_of(&v.tags, &v.name),
        subnets,
        public_ips,
        identities: identities(v.identity.as_ref()),
    }
}

fn identities(identity: Option<&crate::model::VmssIdentity>) -> Vec<&str> {
    identity.map(|i| i.user_assigned_identities.keys().map(String::as_str).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_comes_from_the_tag_then_the_name() {
        let mut tags = std::collections::BTreeMap::new();
        assert_eq!(pool_of(&tags, "aks-nodepool1-38412657-vmss").as_deref(), Some("nodepool1"));
        assert_eq!(pool_of(&tags, "aks-vmpool-13222729-vms0").as_deref(), Some("vmpool"));
        assert_eq!(pool_of(&tags, "jumpbox"), None);
        assert_eq!(pool_of(&tags, "aks-x"), None);
        tags.insert("AKS-managed-poolName".to_string(), "system".to_string());
        assert_eq!(pool_of(&tags, "aks-nodepool1-38412657-vmss").as_deref(), Some("system"));
    }
}
