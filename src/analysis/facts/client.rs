//! `input.clients[_]`: one workload that pulls, as the rules see it.

use super::vocabulary::{ClientKind, OutboundType, RegistrationState};
use serde::Serialize;

/// `input.clients[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct ClientFacts {
    /// ARM id (the cluster).
    pub id: String,
    /// Name.
    pub name: String,
    /// `aks`, or `nic`, `vm`, `subnet` for clients named with `--client`.
    pub kind: ClientKind,
    /// Region.
    pub location: String,
    /// Subscription.
    pub subscription_id: Option<String>,
    /// Node subnets.
    pub subnet_ids: Vec<String>,
    /// VNets of the node subnets.
    pub vnet_ids: Vec<String>,
    /// The identity that pulls images.
    pub kubelet_identity: Option<KubeletIdentityFacts>,
    /// The cluster's service principal, when it uses one instead of managed identity.
    pub service_principal_client_id: Option<String>,
    /// `loadBalancer`, `userDefinedRouting`, `managedNATGateway`, `userAssignedNATGateway`.
    pub outbound_type: Option<OutboundType>,
    /// Egress public IPs (NAT gateway IPs, instance-level public IPs or load balancer outbound IPs).
    pub egress_ips: Vec<String>,
    /// Egress public IP ranges (CIDR): NAT gateway public IP prefixes and node public IP prefixes. Every address
    /// in them may be the source of a pull.
    pub egress_prefixes: Vec<String>,
    /// Why part of the egress addresses cannot be known from ARM (`userDefinedRouting`, per-instance node public
    /// IPs, a NAT gateway or public IP not in the snapshot); null when every egress address is known.
    pub egress_unknown: Option<String>,
    /// Why the client's subnets (and so its paths) are unknown, wholly or for some node pools: a pool without
    /// `vnetSubnetID` whose nodes were not found in the node resource group. Null when every subnet is known.
    pub subnets_unknown: Option<String>,
    /// NICs of the client, when known (`nic` and `vm` clients).
    pub nic_ids: Vec<String>,
    /// The client's own private addresses, when known; otherwise its subnets' prefixes are the source.
    pub source_addresses: Vec<String>,
    /// Application security groups of the client's NICs (lower-cased ids), when known.
    pub application_security_groups: Option<Vec<String>>,
    /// Client subnets with a `Microsoft.ContainerRegistry` service endpoint.
    pub acr_service_endpoint_subnets: Vec<String>,
    /// Registration state of `Microsoft.ContainerRegistry` in each client VNet's subscription, when read.
    pub acr_provider_registrations: Vec<ProviderRegistrationFacts>,
}

/// `input.clients[_].acr_provider_registrations[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRegistrationFacts {
    /// Subscription of a client VNet.
    pub subscription_id: String,
    /// `Registered`, `NotRegistered`, ...
    pub registration_state: RegistrationState,
}

/// `input.clients[_].kubelet_identity`.
#[derive(Debug, Clone, Serialize)]
pub struct KubeletIdentityFacts {
    /// Principal object id.
    pub object_id: Option<String>,
    /// Client id.
    pub client_id: Option<String>,
    /// Identity resource id.
    pub resource_id: Option<String>,
}
