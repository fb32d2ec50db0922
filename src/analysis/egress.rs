//! Egress addresses of a client: the public addresses its pulls may leave from, gathered per subnet in Azure's
//! precedence (the subnet's NAT gateway, else instance-level public IPs, else what the caller knows), with the
//! reason when part of them cannot be known from ARM. Shared by AKS and `--client` clients ([`super::clients`])
//! and by the other consumers ([`super::consumers`]).

use super::nodes::NodePublicIp;
use crate::model::{vnet_key_of_subnet, Model};

/// The VNets of a list of subnets (lower-cased keys, each once).
pub(crate) fn vnets_of(subnet_ids: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in subnet_ids.iter().filter_map(|s| vnet_key_of_subnet(s)) {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// Egress addresses being gathered: single addresses, ranges, and what could not be known.
#[derive(Debug, Default)]
pub(crate) struct Egress {
    pub(crate) ips: Vec<String>,
    pub(crate) prefixes: Vec<String>,
    unknown: Vec<String>,
}

impl Egress {
    pub(crate) fn ip(&mut self, ip: String) {
        if !self.ips.contains(&ip) {
            self.ips.push(ip);
        }
    }

    pub(crate) fn unknown(&mut self, reason: String) {
        if !self.unknown.contains(&reason) {
            self.unknown.push(reason);
        }
    }

    pub(crate) fn unknown_reason(&self) -> Option<String> {
        (!self.unknown.is_empty()).then(|| self.unknown.join("; "))
    }

    /// A public IP resource by id: its address, or why it is unknown.
    pub(crate) fn public_ip(&mut self, model: &Model, id: &str, whose: &str) {
        match model.public_ip_address(id).and_then(|p| p.properties.ip_address.clone()) {
            Some(ip) => self.ip(ip),
            None => self.unknown(format!("public IP {} of {whose} is not in the snapshot", last(id))),
        }
    }

    /// A public IP prefix by id: its range, or why it is unknown.
    pub(crate) fn prefix(&mut self, model: &Model, id: &str, whose: &str) {
        match model.public_ip_prefix(id).and_then(|p| p.properties.ip_prefix.clone()) {
            Some(prefix) => {
                if !self.prefixes.contains(&prefix) {
                    self.prefixes.push(prefix);
                }
            }
            None => self.unknown(format!("public IP prefix {} of {whose} is not in the snapshot", last(id))),
        }
    }

    pub(crate) fn instance_ip(&mut self, model: &Model, ip: &NodePublicIp) {
        match ip {
            NodePublicIp::None => {}
            NodePublicIp::Prefix(id) => self.prefix(model, id, "the node public IPs"),
            NodePublicIp::Address(addr) => self.ip(addr.clone()),
            NodePublicIp::Unknowable(why) => self.unknown(why.clone()),
        }
    }

    /// Egress of nodes in one subnet, in Azure's precedence: the subnet's NAT gateway, else the nodes'
    /// instance-level public IPs, else `otherwise` (the load balancer, or unknown).
    pub(crate) fn of_subnet(
        &mut self,
        model: &Model,
        subnet_id: &str,
        instance_ips: &[NodePublicIp],
        otherwise: &mut dyn FnMut(&mut Egress),
    ) {
        let nat_ref = model.subnet(subnet_id).and_then(|r| r.subnet.properties.nat_gateway.as_ref());
        if let Some(nat_ref) = nat_ref {
            match model.nat_gateway(&nat_ref.id) {
                Some(nat) => {
                    let whose = format!("NAT gateway {}", nat.name);
                    for pip in &nat.properties.public_ip_addresses {
                        self.public_ip(model, &pip.id, &whose);
                    }
                    for prefix in &nat.properties.public_ip_prefixes {
                        self.prefix(model, &prefix.id, &whose);
                    }
                }
                None => self.unknown(format!(
                    "NAT gateway {} of subnet {} is not in the snapshot",
                    last(&nat_ref.id),
                    last(subnet_id)
                )),
            }
            return;
        }
        let explicit: Vec<&NodePublicIp> = instance_ips.iter().filter(|i| **i != NodePublicIp::None).collect();
        if explicit.is_empty() {
            otherwise(self);
        } else {
            for ip in explicit {
                self.instance_ip(model, ip);
            }
        }
    }
}

pub(crate) fn last(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}
