//! The fact types handed to rules as `input`. Field names are snake_case and stable: see `docs/facts.md`.

use crate::model::Model;
use crate::snapshot::ArmError;
use serde::Serialize;

/// Version of the facts contract that custom rules can check.
pub const FACTS_SCHEMA: &str = "acr-audit/facts/v1";

/// Everything the rules see.
#[derive(Debug, Clone, Serialize)]
pub struct Facts {
    /// `acr-audit/facts/v1`.
    pub schema: String,
    /// Where the data came from.
    pub snapshot: SnapshotFacts,
    /// One entry per registry.
    pub registries: Vec<RegistryFacts>,
    /// One entry per client (AKS cluster).
    pub clients: Vec<ClientFacts>,
    /// One entry per client × registry pair that is meant to work.
    pub pairs: Vec<PairFacts>,
    /// One entry per client subnet × registry endpoint of each pair.
    pub paths: Vec<super::paths::PathFacts>,
    /// What could not be read when the snapshot was collected.
    pub errors: Vec<ArmError>,
    /// Resource types with at least one read error (lower-case): rules stay silent on them.
    pub unread_types: Vec<String>,
}

/// `input.snapshot`.
#[derive(Debug, Clone, Serialize)]
pub struct SnapshotFacts {
    /// RFC 3339.
    pub collected_at: Option<String>,
    /// Cloud name.
    pub cloud: String,
    /// Subscription ids.
    pub subscriptions: Vec<String>,
}

impl SnapshotFacts {
    pub(crate) fn from_model(model: &Model) -> Self {
        SnapshotFacts {
            collected_at: model.metadata.collected_at.clone(),
            cloud: model.metadata.cloud.name.clone(),
            subscriptions: model.metadata.subscriptions.iter().map(|s| s.subscription_id.clone()).collect(),
        }
    }
}

/// `input.registries[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct RegistryFacts {
    /// ARM id as collected.
    pub id: String,
    /// Registry name.
    pub name: String,
    /// Resource group.
    pub resource_group: Option<String>,
    /// Subscription.
    pub subscription_id: Option<String>,
    /// Home region.
    pub location: String,
    /// SKU name.
    pub sku: String,
    /// Login server FQDN.
    pub login_server: Option<String>,
    /// `Enabled` / `Disabled` (ARM's default when absent: `Enabled`).
    pub public_network_access: String,
    /// Firewall default action (`Allow` when absent).
    pub default_action: String,
    /// Firewall IP rules (addresses or CIDRs).
    pub ip_rules: Vec<String>,
    /// `networkRuleBypassOptions == AzureServices` (ARM's default when absent).
    pub trusted_services_bypass: bool,
    /// Dedicated data endpoints.
    pub data_endpoint_enabled: bool,
    /// Admin user enabled.
    pub admin_user_enabled: bool,
    /// Home region plus replica regions, lower-case.
    pub regions: Vec<String>,
    /// Connections as the registry lists them.
    pub private_endpoint_connections: Vec<PrivateEndpointConnectionFacts>,
    /// Private endpoints in the snapshot that target this registry.
    pub private_endpoints: Vec<PrivateEndpointFacts>,
    /// Service-endpoint subnet rules (`networkRuleSet.virtualNetworkRules`), subnet ids.
    pub virtual_network_rules: Vec<String>,
    /// Storage use from `listUsages` (`Size`), when read.
    pub storage_usage: Option<UsageFacts>,
    /// A records for the login server in any privatelink zone of the snapshot.
    pub private_dns_records: Vec<DnsRecordFacts>,
}

/// `input.registries[_].storage_usage`.
#[derive(Debug, Clone, Serialize)]
pub struct UsageFacts {
    /// Bytes used.
    pub current: f64,
    /// Bytes allowed.
    pub limit: f64,
    /// `current / limit`.
    pub ratio: f64,
}

/// `input.registries[_].private_dns_records[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct DnsRecordFacts {
    /// Zone id.
    pub zone: String,
    /// Record set id.
    pub record: String,
    /// Addresses.
    pub addresses: Vec<String>,
    /// VNets (lower-cased ids) the zone is linked to.
    pub linked_vnets: Vec<String>,
}

/// `input.registries[_].private_endpoint_connections[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpointConnectionFacts {
    /// Connection id.
    pub id: String,
    /// The private endpoint id.
    pub private_endpoint_id: Option<String>,
    /// `Approved`, `Pending`, `Rejected`, `Disconnected` (`Unknown` when absent).
    pub status: String,
    /// The approver's text.
    pub description: Option<String>,
}

/// `input.registries[_].private_endpoints[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PrivateEndpointFacts {
    /// Private endpoint id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Its subnet.
    pub subnet_id: Option<String>,
    /// Its VNet (derived from the subnet id).
    pub vnet_id: Option<String>,
    /// Connection state as the endpoint sees it.
    pub status: String,
}

/// `input.clients[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct ClientFacts {
    /// ARM id (the cluster).
    pub id: String,
    /// Name.
    pub name: String,
    /// `aks`, or `nic`, `vm`, `subnet` for clients named with `--client`.
    pub kind: String,
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
    pub outbound_type: Option<String>,
    /// Egress public IPs (load balancer outbound IPs or NAT gateway IPs).
    pub egress_ips: Vec<String>,
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
    pub registration_state: String,
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

/// `input.pairs[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PairFacts {
    /// Client id.
    pub client: String,
    /// Client name.
    pub client_name: String,
    /// Registry id.
    pub registry: String,
    /// Registry name.
    pub registry_name: String,
    /// Why the pair is analysed: `selected`, `role_assignment`, `only_registry`.
    pub reason: String,
    /// One entry per private endpoint of the registry, as seen from this client.
    pub private_endpoints: Vec<PairEndpointFacts>,
    /// Whether the client's identity may pull.
    pub rbac: super::rbac::RbacFacts,
    /// Routes that send this pair's registry traffic to a network virtual appliance, with the names behind them.
    pub appliance_routes: Vec<ApplianceRouteFacts>,
}

/// `input.pairs[_].appliance_routes[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct ApplianceRouteFacts {
    /// Route id.
    pub route: String,
    /// Route name.
    pub route_name: String,
    /// The appliance.
    pub next_hop_ip: Option<String>,
    /// Endpoint names whose traffic it carries (sorted).
    pub fqdns: Vec<String>,
}

/// `input.pairs[_].private_endpoints[_]`.
#[derive(Debug, Clone, Serialize)]
pub struct PairEndpointFacts {
    /// Private endpoint id.
    pub private_endpoint: String,
    /// Client VNet.
    pub client_vnet: String,
    /// Private endpoint VNet.
    pub endpoint_vnet: Option<String>,
    /// How the two VNets connect.
    pub peering: PeeringFacts,
}

/// Peering between a client VNet and a private endpoint VNet.
#[derive(Debug, Clone, Serialize)]
pub struct PeeringFacts {
    /// `same_vnet`, `peered`, `not_peered`, `unknown` (a VNet is not in the snapshot).
    pub status: String,
    /// The client VNet's peering towards the endpoint VNet.
    pub local: Option<PeeringSideFacts>,
    /// The endpoint VNet's peering back, when that VNet is in the snapshot.
    pub remote: Option<PeeringSideFacts>,
    /// Whether the endpoint VNet could be read (false: `remote` is unknown, not absent).
    pub remote_visible: bool,
}

/// One side of a peering.
#[derive(Debug, Clone, Serialize)]
pub struct PeeringSideFacts {
    /// Peering id.
    pub id: String,
    /// `Initiated`, `Connected`, `Disconnected`.
    pub state: String,
    /// `FullyInSync`, ...
    pub sync_level: Option<String>,
}
