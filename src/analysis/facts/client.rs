//! `input.clients[_]`: one workload that pulls, as the rules see it.

use super::vocabulary::{ClientKind, IdentityStatus, LoginMethod, OutboundType, PullNetwork, RegistrationState};
use serde::Serialize;

/// `input.clients[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct ClientFacts {
    /// ARM id (the cluster).
    pub id: String,
    /// Name.
    pub name: String,
    /// `aks`, `webapp`, `functionapp`, `containerapp`, `containergroup`, `task`, or `nic`, `vm`, `subnet` for
    /// clients named with `--client`.
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
    /// Image references the consumer runs (`DOCKER|` site images, container app and group images, a task's
    /// image names); empty for AKS, whose pods are not in ARM.
    pub images: Vec<String>,
    /// Why `images` (and so the registries the consumer names) are unknown: its configuration could not be read
    /// (a site's `config/web`). Null when `images` is complete. Such a consumer is paired through role
    /// assignments only.
    pub images_unknown: Option<String>,
    /// The consumer's own managed identities (`identity` of the resource); null for AKS (see
    /// `kubelet_identity`) and `--client` kinds.
    pub identity: Option<ManagedIdentityFacts>,
    /// How the consumer signs in to each registry server it names.
    pub registry_logins: Vec<RegistryLoginFacts>,
    /// `vnet`: pulls leave from `subnet_ids` and get full path analysis; `public`: from the public network
    /// (`egress_ips`, or unknown addresses), judged in `pairs[_].public_pull`; `unknown`.
    pub pull_network: PullNetwork,
    /// Why `pull_network` is what it is, e.g. `outboundVnetRouting.imagePullTraffic is true`.
    pub pull_network_reason: Option<String>,
    /// The resource the consumer belongs to: a task's registry, a container app's environment, a site's plan.
    pub parent: Option<String>,
}

/// `input.clients[_].identity`: the managed identities on a consumer.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ManagedIdentityFacts {
    /// Object id of the system-assigned identity; null when it is not enabled.
    pub system_principal_id: Option<String>,
    /// The user-assigned identities assigned to the consumer.
    pub user_assigned: Vec<UserAssignedIdentityFacts>,
}

/// `input.clients[_].identity.user_assigned[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct UserAssignedIdentityFacts {
    /// Identity resource id, as ARM spelled it.
    pub resource_id: String,
    /// Object id.
    pub principal_id: Option<String>,
    /// Client id.
    pub client_id: Option<String>,
}

/// `input.clients[_].registry_logins[_]`: how a consumer signs in to one registry server.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryLoginFacts {
    /// The login server as the consumer names it (lower-case).
    pub server: String,
    /// `managed_identity`, `credentials` or `unknown`.
    pub method: LoginMethod,
    /// The identity as configured: `system`, a user-assigned identity's resource id, or (App Service) its
    /// client id; null when the method is not `managed_identity`.
    pub identity: Option<String>,
    /// The object id the identity resolves to on the consumer, when it does.
    pub principal_id: Option<String>,
    /// `resolved`, `not_enabled`, `not_assigned`, `unknown` or `not_applicable`.
    pub identity_status: IdentityStatus,
    /// The user name of a credential login, when ARM shows it (equal to the registry name: the admin user).
    pub username: Option<String>,
    /// Where in the resource the login is configured, e.g. `properties.configuration.registries[0]`.
    pub source: String,
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
