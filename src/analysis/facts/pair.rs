//! `input.pairs[_]`: one client × registry pair that is meant to work, with its identity and peering facts.

use super::client::RegistryLoginFacts;
use super::vocabulary::{
    PairReason, PeeringState, PeeringStatus, PeeringSyncLevel, PrincipalKind, PublicPullVerdict, PullGrant,
    RoleAssignmentMode, Tristate,
};
use serde::Serialize;

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
    /// Why the pair is analysed: `selected`, `image_reference`, `own_registry`, `role_assignment`, `only_registry`
    /// (in that order of precedence, see `docs/facts.md`).
    pub reason: PairReason,
    /// One entry per private endpoint of the registry, as seen from this client.
    pub private_endpoints: Vec<PairEndpointFacts>,
    /// Whether the client's identity may pull.
    pub rbac: RbacFacts,
    /// Routes that send this pair's registry traffic to a network virtual appliance, with the names behind them.
    pub appliance_routes: Vec<ApplianceRouteFacts>,
    /// The client's sign-in entry for this registry's login server, when it has one (consumers other than AKS).
    pub login: Option<RegistryLoginFacts>,
    /// `login` uses the registry's admin user (its user name is the registry name).
    pub admin_credentials: bool,
    /// For a client that pulls from the public network (`pull_network: public`): the registry's network rules
    /// on that pull. Null for clients that pull from a VNet (see `paths`).
    pub public_pull: Option<PublicPullFacts>,
}

/// `input.pairs[_].public_pull`: a pull from the public network against the registry's network rules.
#[derive(Debug, Clone, Serialize)]
pub struct PublicPullFacts {
    /// `allowed`, `blocked` or `unknown`.
    pub verdict: PublicPullVerdict,
    /// Why, in one sentence.
    pub reason: String,
    /// The client's public egress addresses judged.
    pub egress_ips: Vec<String>,
    /// Egress addresses no IP rule covers.
    pub uncovered_ips: Vec<String>,
    /// Why the egress addresses are unknown, when they are.
    pub egress_unknown: Option<String>,
    /// The bypass that admits the pull although the network rules would not (`AzureServices` for a trusted
    /// service, `networkRuleBypassAllowedForTasks` for a task), when one does.
    pub bypass: Option<String>,
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
    /// The Azure Firewall at the next hop when every path through the route had its rules evaluated (verdict
    /// `allow` or `deny`, see `paths[_].azure_firewall`); null for other appliances and unevaluable firewalls.
    pub evaluated_by_firewall: Option<String>,
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
    /// When the client's paths reach this endpoint through a virtual appliance (hub-and-spoke), the appliance
    /// and the peering from its VNet (taken from the paths' `private_endpoint.transit`).
    pub transit: Option<PairTransitFacts>,
}

/// A private endpoint reached through a virtual appliance: hub-and-spoke, where spokes are peered with the hub
/// only and a user route sends everything (`0.0.0.0/0`) to the hub firewall, which forwards to the endpoint in
/// another spoke.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TransitFacts {
    /// The route's next-hop address.
    pub next_hop_ip: String,
    /// The route carrying the endpoint's address there.
    pub route: String,
    /// What holds that address: an Azure Firewall or a NIC (a network virtual appliance), when the snapshot shows it.
    pub appliance: Option<String>,
    /// The VNet the appliance forwards from (`null` when the address is in no VNet of the snapshot: the peering
    /// from there is `unknown`).
    pub vnet: Option<String>,
    /// How the client VNet reaches the appliance's VNet (`same_vnet`, `peered`, `not_peered`, `unknown`): a next
    /// hop the client cannot reach drops the traffic, and then `peering` is this one.
    pub client_to_appliance: PeeringStatus,
}

/// A pair's private endpoint reached through a virtual appliance: where from, and how that VNet reaches it.
#[derive(Debug, Clone, Serialize)]
pub struct PairTransitFacts {
    /// The appliance and its VNet.
    #[serde(flatten)]
    pub via: TransitFacts,
    /// The peering from the appliance's VNet to the endpoint's VNet.
    pub peering: PeeringFacts,
}

/// Peering between a client VNet and a private endpoint VNet.
#[derive(Debug, Clone, Serialize)]
pub struct PeeringFacts {
    /// `same_vnet`, `peered`, `not_peered`, `unknown` (a VNet is not in the snapshot).
    pub status: PeeringStatus,
    /// The client VNet's peering towards the endpoint VNet.
    pub local: Option<PeeringSideFacts>,
    /// The endpoint VNet's peering back, when that VNet is in the snapshot.
    pub remote: Option<PeeringSideFacts>,
    /// Whether the endpoint VNet could be read (false: `remote` is unknown, not absent).
    pub remote_visible: bool,
    /// Whether the client VNet could be read (false: `local` is unknown, not absent).
    pub local_visible: bool,
}

impl PeeringFacts {
    /// Peering whose endpoint VNet is not known at all.
    pub fn unknown() -> PeeringFacts {
        PeeringFacts {
            status: PeeringStatus::Unknown,
            local: None,
            remote: None,
            remote_visible: false,
            local_visible: false,
        }
    }
}

/// One side of a peering.
#[derive(Debug, Clone, Serialize)]
pub struct PeeringSideFacts {
    /// Peering id.
    pub id: String,
    /// `Initiated`, `Connected`, `Disconnected`.
    pub state: PeeringState,
    /// `FullyInSync`, ...
    pub sync_level: Option<PeeringSyncLevel>,
}

/// One role assignment of the principal, resolved.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    /// Assignment id.
    pub assignment: String,
    /// Role definition id.
    pub role_definition: String,
    /// Role name, when known.
    pub role_name: Option<String>,
    /// Scope of the assignment.
    pub scope: Option<String>,
    /// The role grants pull in the registry's role assignment mode (its condition aside); `None` when the
    /// definition is unknown, or the mode is not in the snapshot and the two modes disagree.
    pub grants_pull: Option<bool>,
    /// The assignment's ABAC condition (it then grants for the repositories the condition admits only).
    pub condition: Option<String>,
    /// Version of the condition language.
    pub condition_version: Option<String>,
}

/// A role assignment to a Microsoft Entra group at the registry or above whose role may grant pull: the
/// client's identity may be a member, which ARM does not show.
#[derive(Debug, Clone, Serialize)]
pub struct GroupGrant {
    /// Object id of the group.
    pub group: String,
    /// `Group` or `ForeignGroup`.
    pub principal_type: String,
    /// Assignment id.
    pub assignment: String,
    /// Role definition id.
    pub role_definition: String,
    /// Role name, when known.
    pub role_name: Option<String>,
    /// Scope of the assignment.
    pub scope: Option<String>,
    /// As [`Grant::grants_pull`]: `Some(true)` or `None` (groups whose role cannot grant pull are not listed).
    pub grants_pull: Option<bool>,
    /// The assignment's ABAC condition, if any.
    pub condition: Option<String>,
}

/// RBAC facts of a pair.
#[derive(Debug, Clone, Serialize)]
pub struct RbacFacts {
    /// Object id the assignments must name (kubelet identity, or the managed identity a consumer's sign-in
    /// resolves to), when known.
    pub principal_id: Option<String>,
    /// `kubelet_identity`, `service_principal` (only an application id is known), `managed_identity`,
    /// `registry_credentials` or `none`.
    pub principal_kind: PrincipalKind,
    /// The registry's `roleAssignmentMode`; `None` when the snapshot does not say (read before api-version
    /// 2025-11-01), which ARM's default makes `LegacyRegistryPermissions`.
    pub role_assignment_mode: Option<RoleAssignmentMode>,
    /// The built-in role that grants pull in this mode: `AcrPull`, or `Container Registry Repository Reader`.
    pub pull_role: &'static str,
    /// The registry's role assignments were read.
    pub assignments_readable: bool,
    /// The principal's assignments at the registry or above.
    pub grants: Vec<Grant>,
    /// `yes`, `no`, `conditional` (only conditioned assignments grant) or `unknown` (assignments unreadable, the
    /// principal not known, a definition unknown, or a group holds pull) — see `docs/facts.md`.
    pub grants_pull: PullGrant,
    /// Assignments to groups that may grant pull (membership is not in ARM).
    pub group_grants: Vec<GroupGrant>,
    /// Role definitions of the principal's or groups' assignments that are neither in the snapshot nor built in.
    pub unknown_definitions: Vec<String>,
    /// Other principals holding pull on the registry (object ids).
    pub pull_principals: Vec<String>,
    /// `yes`, `no` or `unknown`: the kubelet identity is assigned to the node VMSS.
    pub identity_on_node_vmss: Tristate,
    /// The node VMSS seen.
    pub node_vmss: Vec<String>,
}
