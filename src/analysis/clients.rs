//! Client facts: each AKS cluster's node subnets, kubelet identity and egress public addresses.
//!
//! Node subnets come from the pools' `vnetSubnetID` and from the nodes themselves (scale sets and VMs in the node
//! resource group, see [`super::nodes`]), so clusters on the AKS-managed VNet get paths too.
//!
//! Egress follows Azure's precedence for outbound connections: Azure NAT Gateway "takes precedence over other
//! outbound connectivity methods, including a load balancer, instance-level public IP addresses, and Azure
//! Firewall", in the flow "UDR to next hop virtual appliance or virtual network gateway >> NAT gateway >>
//! Instance-level public IP address on a virtual machine >> load balancer outbound rules >> default system route
//! to the internet" (<https://learn.microsoft.com/azure/nat-gateway/nat-overview>; see also
//! <https://learn.microsoft.com/azure/virtual-network/ip-services/default-outbound-access>). Load balancer
//! outbound rules apply only to backend VMs without an instance-level public IP
//! (<https://learn.microsoft.com/azure/load-balancer/outbound-rules>). AKS node public IPs are instance-level public
//! IPs (<https://learn.microsoft.com/azure/aks/use-node-public-ips>).

use super::egress::{vnets_of, Egress};
use super::facts::{
    ClientFacts, ClientKind, KubeletIdentityFacts, OutboundType, ProviderRegistrationFacts, PullNetwork,
    RegistrationState,
};
use super::nodes::{node_machines, NodeMachine, NodePublicIp};
use crate::model::{
    id_key, parse_resource_id, push_unique_id, AgentPoolProfile, ManagedCluster, Model, NetworkInterface,
};

/// Every AKS cluster, then every other consumer ([`super::consumers`]), plus each subnet, NIC or VM named with
/// `--client` that is neither.
pub(crate) fn client_facts(model: &Model, named: &[String]) -> Vec<ClientFacts> {
    let mut out: Vec<ClientFacts> = model.managed_clusters.iter().map(|c| one(model, c)).collect();
    out.extend(super::consumers::consumer_facts(model));
    for name in named {
        let known = out.iter().any(|c| c.name.eq_ignore_ascii_case(name) || id_key(&c.id) == id_key(name));
        if known {
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
        let mut instance_ips = Vec::new();
        for c in configs {
            let p = &c.properties;
            if let Some(s) = &p.subnet {
                push_unique_id(&mut subnet_ids, &s.id);
            }
            sources.extend(p.private_ip_address.clone());
            asgs.extend(p.application_security_groups.iter().map(|a| id_key(&a.id)));
            if let Some(r) = &p.public_ip_address {
                instance_ips.push(
                    match model.public_ip_address(&r.id).and_then(|ip| ip.properties.ip_address.clone()) {
                        Some(addr) => NodePublicIp::Address(addr),
                        None => NodePublicIp::Unknowable(format!(
                            "public IP {} of the NIC is not in the snapshot",
                            r.id.rsplit('/').next().unwrap_or(&r.id)
                        )),
                    },
                );
            }
        }
        let mut egress = Egress::default();
        for s in &subnet_ids {
            egress.of_subnet(model, s, &instance_ips, &mut |e| e.unknown(NO_EXPLICIT_OUTBOUND.into()));
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
                egress_unknown: egress.unknown_reason(),
                egress_ips: egress.ips,
                egress_prefixes: egress.prefixes,
                subnets_unknown: None,
                nic_ids: nics.iter().map(|n| n.id.clone()).collect(),
                source_addresses: sources,
                application_security_groups: Some(asgs),
                acr_service_endpoint_subnets: vec![],
                acr_provider_registrations: vec![],
                ..ClientFacts::vnet_defaults()
            }
            .with_subnet_facts(model),
        );
    }
    let subnet =
        model.virtual_networks.iter().flat_map(|v| v.properties.subnets.iter()).find(|s| matches(&s.id, &s.name))?;
    let subnet_ids = vec![subnet.id.clone()];
    let mut egress = Egress::default();
    egress.of_subnet(model, &subnet.id, &[], &mut |e| e.unknown(NO_EXPLICIT_OUTBOUND.into()));
    Some(
        ClientFacts {
            id: subnet.id.clone(),
            name: subnet.name.clone(),
            kind: ClientKind::Subnet,
            location: String::new(),
            subscription_id: parse_resource_id(&subnet.id).subscription,
            vnet_ids: vnets_of(&subnet_ids),
            egress_unknown: egress.unknown_reason(),
            egress_ips: egress.ips,
            egress_prefixes: egress.prefixes,
            subnets_unknown: None,
            subnet_ids,
            kubelet_identity: None,
            service_principal_client_id: None,
            outbound_type: None,
            nic_ids: vec![],
            source_addresses: vec![],
            application_security_groups: None,
            acr_service_endpoint_subnets: vec![],
            acr_provider_registrations: vec![],
            ..ClientFacts::vnet_defaults()
        }
        .with_subnet_facts(model),
    )
}

/// Why a named subnet, NIC or VM without a NAT gateway or instance public IP has unknown egress.
const NO_EXPLICIT_OUTBOUND: &str =
    "no NAT gateway or instance-level public IP: load balancer outbound rules are not read";

/// Nodes that share a subnet set and an instance public IP configuration: one pool, or one machine no pool claims.
struct NodeGroup {
    subnets: Vec<String>,
    public_ips: Vec<NodePublicIp>,
}

/// The node groups of a cluster: each pool with its subnets (its `vnetSubnetID`, else the subnets of its
/// nodes), and each node in the node resource group that no pool claims (node auto-provisioning).
fn node_groups(pools: &[AgentPoolProfile], machines: &[NodeMachine<'_>]) -> Vec<NodeGroup> {
    let mut all_machine_subnets: Vec<String> = Vec::new();
    for m in machines {
        for s in &m.subnets {
            push_unique_id(&mut all_machine_subnets, s);
        }
    }
    let claims = |m: &NodeMachine<'_>, p: &AgentPoolProfile| {
        m.pool.as_deref().map(|n| n.eq_ignore_ascii_case(&p.name)).unwrap_or(false)
    };
    let mut groups = Vec::new();
    for pool in pools {
        let mine: Vec<&NodeMachine<'_>> = machines.iter().filter(|m| claims(m, pool)).collect();
        let mut subnets = Vec::new();
        match &pool.vnet_subnet_id {
            Some(s) if !s.is_empty() => push_unique_id(&mut subnets, s),
            _ => {
                for s in mine.iter().flat_map(|m| m.subnets.iter()) {
                    push_unique_id(&mut subnets, s);
                }
                // Nodes not matched to the pool by tag or name: on the AKS-managed VNet every pool shares its
                // one node subnet.
                if subnets.is_empty() {
                    subnets = all_machine_subnets.clone();
                }
            }
        }
        let public_ips = if pool.enable_node_public_ip == Some(true) {
            vec![match pool.node_public_ip_prefix_id.as_deref().filter(|p| !p.is_empty()) {
                Some(prefix) => NodePublicIp::Prefix(prefix.to_string()),
                None => NodePublicIp::Unknowable(format!(
                    "node pool {} gives each node its own public IP (enableNodePublicIP without nodePublicIPPrefixID): the addresses are allocated per instance and not in ARM list data",
                    pool.name
                )),
            }]
        } else {
            mine.iter().flat_map(|m| m.public_ips.iter().cloned()).collect()
        };
        groups.push(NodeGroup { subnets, public_ips });
    }
    for m in machines.iter().filter(|m| !pools.iter().any(|p| claims(m, p))) {
        groups.push(NodeGroup { subnets: m.subnets.clone(), public_ips: m.public_ips.clone() });
    }
    groups
}

/// Why some node subnets are unknown: pools without `vnetSubnetID` and no node subnet found.
fn subnets_unknown(model: &Model, c: &ManagedCluster, machines: &[NodeMachine<'_>], found: bool) -> Option<String> {
    let pools = &c.properties.agent_pool_profiles;
    let without: Vec<&str> = pools
        .iter()
        .filter(|p| p.vnet_subnet_id.as_deref().map(str::is_empty).unwrap_or(true))
        .map(|p| p.name.as_str())
        .collect();
    let machine_subnets = machines.iter().any(|m| !m.subnets.is_empty());
    if machine_subnets || (without.is_empty() && found) {
        return None;
    }
    let node_rg = c.properties.node_resource_group.as_deref();
    let scope = node_rg.map(|rg| {
        format!("/subscriptions/{}/resourceGroups/{rg}", parse_resource_id(&c.id).subscription.unwrap_or_default())
    });
    let unread = scope
        .as_deref()
        .map(|s| {
            model.unread(s, "Microsoft.Compute/virtualMachineScaleSets")
                || model.unread(s, "Microsoft.Compute/virtualMachines")
        })
        .unwrap_or(false);
    let pools_text = if without.is_empty() {
        "the cluster lists no node pool".to_string()
    } else {
        format!("node pool {} has no vnetSubnetID", without.join(", "))
    };
    let nodes_text = match (node_rg, unread) {
        (None, _) => "the cluster names no node resource group".to_string(),
        (Some(rg), true) => format!("the scale sets and VMs of node resource group {rg} could not be read"),
        (Some(rg), false) => {
            format!("no scale set or VM in node resource group {rg} names a subnet in the snapshot")
        }
    };
    Some(format!("{pools_text}, and {nodes_text}: the node subnets and their paths are unknown"))
}

fn one(model: &Model, c: &ManagedCluster) -> ClientFacts {
    let p = &c.properties;
    let machines = node_machines(model, c);
    let groups = node_groups(&p.agent_pool_profiles, &machines);
    let mut subnet_ids: Vec<String> = Vec::new();
    for g in &groups {
        for s in &g.subnets {
            push_unique_id(&mut subnet_ids, s);
        }
    }
    let subnets_unknown = subnets_unknown(model, c, &machines, !subnet_ids.is_empty());
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
    let egress = cluster_egress(model, c, outbound_type.as_ref(), &groups);
    ClientFacts {
        id: c.id.clone(),
        name: c.name.clone(),
        kind: ClientKind::Aks,
        location: c.location.clone(),
        subscription_id: parse_resource_id(&c.id).subscription,
        egress_unknown: egress.unknown_reason(),
        egress_ips: egress.ips,
        egress_prefixes: egress.prefixes,
        subnets_unknown,
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
        ..ClientFacts::vnet_defaults()
    }
    .with_subnet_facts(model)
}

/// Every public address the cluster's nodes may pull from: per node group and subnet, the NAT gateway, else the
/// nodes' instance-level public IPs, else the cluster's outbound type (load balancer outbound IPs; the appliance
/// of `userDefinedRouting`, which ARM does not tie to the cluster).
fn cluster_egress(model: &Model, c: &ManagedCluster, outbound: Option<&OutboundType>, groups: &[NodeGroup]) -> Egress {
    let mut egress = Egress::default();
    let mut by_outbound_type = |e: &mut Egress| match outbound {
        None | Some(OutboundType::LoadBalancer) => {
            let lb = c.properties.network_profile.as_ref().and_then(|n| n.load_balancer_profile.as_ref());
            let ips = lb.map(|l| l.effective_outbound_ips.as_slice()).unwrap_or(&[]);
            if ips.is_empty() {
                e.unknown("the load balancer lists no effective outbound IP".into());
            }
            for pip in ips {
                e.public_ip(model, &pip.id, "the cluster load balancer");
            }
        }
        Some(other) => e.unknown(format!("outbound type {}", other.as_str())),
    };
    for g in groups {
        for s in &g.subnets {
            egress.of_subnet(model, s, &g.public_ips, &mut by_outbound_type);
        }
    }
    egress
}

impl ClientFacts {
    /// The consumer facts of a client that pulls from its subnets with no sign-in entry of its own (AKS, and
    /// clients named with `--client`), for struct update syntax.
    pub(crate) fn vnet_defaults() -> ClientFacts {
        ClientFacts {
            id: String::new(),
            name: String::new(),
            kind: ClientKind::Subnet,
            location: String::new(),
            subscription_id: None,
            subnet_ids: vec![],
            vnet_ids: vec![],
            kubelet_identity: None,
            service_principal_client_id: None,
            outbound_type: None,
            egress_ips: vec![],
            egress_prefixes: vec![],
            egress_unknown: None,
            subnets_unknown: None,
            nic_ids: vec![],
            source_addresses: vec![],
            application_security_groups: None,
            acr_service_endpoint_subnets: vec![],
            acr_provider_registrations: vec![],
            images: vec![],
            images_unknown: None,
            identity: None,
            registry_logins: vec![],
            pull_network: PullNetwork::Vnet,
            pull_network_reason: None,
            parent: None,
        }
    }

    /// Fill the facts that depend on the client's subnets: ACR service endpoints and, per VNet subscription,
    /// the `Microsoft.ContainerRegistry` registration state.
    pub(crate) fn with_subnet_facts(mut self, model: &Model) -> ClientFacts {
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
