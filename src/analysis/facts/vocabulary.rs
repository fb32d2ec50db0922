//! The words facts are made of: every status, kind and verdict of `acr-audit/facts/v1`, as enums.
//!
//! Two families:
//! - **closed vocabularies** are produced by analysis (`DnsStatus`, `Reachable`, …): a fixed set of snake_case
//!   words;
//! - **ARM vocabularies** carry a value Azure Resource Manager spells (`Approved`, `Deny`, `Connected`, …).
//!   ARM and exported snapshots do not agree on case (`Deny`/`deny`), so the value is normalised here, once,
//!   case-insensitively, to Azure's documented spelling; a value this build does not know is kept verbatim
//!   (`Other`), so a new Azure value is shown as Azure wrote it rather than refused or guessed.
//!
//! Each serialises to exactly the string the facts contract documents (`docs/facts.md`), so rules compare
//! normalised words and never raw ARM text.

use serde::{Serialize, Serializer};
use std::fmt;

/// A closed vocabulary: `Name { Variant = "word", … }`.
macro_rules! closed_vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
        }

        impl $name {
            /// The word the facts contract uses.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

/// An ARM vocabulary: `Name { Variant = "Spelling", … }` plus `Other(String)` for values not listed.
macro_rules! arm_vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)*
            /// A value this build does not know, kept as ARM wrote it.
            Other(String),
        }

        impl $name {
            /// Normalise an ARM value, case-insensitively, to Azure's spelling.
            pub fn parse(value: &str) -> $name {
                $(
                    if value.eq_ignore_ascii_case($text) {
                        return $name::$variant;
                    }
                )*
                $name::Other(value.to_string())
            }

            /// Azure's spelling (or the unknown value as written).
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $text,)*
                    $name::Other(s) => s,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

arm_vocabulary! {
    /// `properties.publicNetworkAccess` of a registry (absent means `Enabled`).
    PublicNetworkAccess { Enabled = "Enabled", Disabled = "Disabled" }
}

arm_vocabulary! {
    /// `networkRuleSet.defaultAction` of a registry (absent means `Allow`).
    DefaultAction { Allow = "Allow", Deny = "Deny" }
}

arm_vocabulary! {
    /// A registry SKU (`sku.name`).
    Sku { Basic = "Basic", Standard = "Standard", Premium = "Premium", Classic = "Classic" }
}

arm_vocabulary! {
    /// `privateLinkServiceConnectionState.status` of a private endpoint connection (absent: `Unknown`).
    ConnectionStatus {
        Approved = "Approved",
        Pending = "Pending",
        Rejected = "Rejected",
        Disconnected = "Disconnected",
        Unknown = "Unknown",
    }
}

arm_vocabulary! {
    /// `registrationState` of a resource provider in a subscription (absent: `Unknown`).
    RegistrationState {
        Registered = "Registered",
        NotRegistered = "NotRegistered",
        Registering = "Registering",
        Unregistering = "Unregistering",
        Unknown = "Unknown",
    }
}

arm_vocabulary! {
    /// `networkProfile.outboundType` of an AKS cluster.
    OutboundType {
        LoadBalancer = "loadBalancer",
        UserDefinedRouting = "userDefinedRouting",
        ManagedNatGateway = "managedNATGateway",
        UserAssignedNatGateway = "userAssignedNATGateway",
        None = "none",
    }
}

arm_vocabulary! {
    /// `peeringState` of one side of a VNet peering (absent: `Unknown`).
    PeeringState { Initiated = "Initiated", Connected = "Connected", Disconnected = "Disconnected", Unknown = "Unknown" }
}

arm_vocabulary! {
    /// `peeringSyncLevel` of one side of a VNet peering.
    PeeringSyncLevel {
        FullyInSync = "FullyInSync",
        RemoteNotInSync = "RemoteNotInSync",
        LocalNotInSync = "LocalNotInSync",
        LocalAndRemoteNotInSync = "LocalAndRemoteNotInSync",
    }
}

arm_vocabulary! {
    /// A route's `nextHopType`, plus the hop Azure's system routes use for peered address space.
    NextHopType {
        VnetLocal = "VnetLocal",
        VNetPeering = "VNetPeering",
        Internet = "Internet",
        VirtualAppliance = "VirtualAppliance",
        VirtualNetworkGateway = "VirtualNetworkGateway",
        None = "None",
        /// The /32 (/128) system route a private endpoint injects for its address into its VNet and directly
        /// peered VNets (<https://learn.microsoft.com/azure/private-link/disable-private-endpoint-network-policy>).
        InterfaceEndpoint = "InterfaceEndpoint",
    }
}

closed_vocabulary! {
    /// The address family a path is evaluated for.
    AddressFamily { Ipv4 = "ipv4", Ipv6 = "ipv6" }
}

arm_vocabulary! {
    /// An NSG rule's `access`.
    Access { Allow = "Allow", Deny = "Deny" }
}

arm_vocabulary! {
    /// `properties.roleAssignmentMode` of a registry (api-version 2025-11-01): which roles it honours.
    /// `LegacyRegistryPermissions` (ARM's default): AcrPull, AcrPush and the privileged roles;
    /// `AbacRepositoryPermissions`: only the ABAC-enabled Container Registry Repository roles, optionally narrowed
    /// to repositories by conditions.
    RoleAssignmentMode {
        AbacRepositoryPermissions = "AbacRepositoryPermissions",
        LegacyRegistryPermissions = "LegacyRegistryPermissions",
    }
}

closed_vocabulary! {
    /// What kind of workload a client is.
    ClientKind {
        Aks = "aks",
        Nic = "nic",
        Vm = "vm",
        Subnet = "subnet",
        /// An App Service app (`Microsoft.Web/sites`).
        Webapp = "webapp",
        /// A Functions app (`Microsoft.Web/sites` whose kind starts with `functionapp`).
        Functionapp = "functionapp",
        /// A container app (`Microsoft.App/containerApps`).
        Containerapp = "containerapp",
        /// A container group (`Microsoft.ContainerInstance/containerGroups`).
        Containergroup = "containergroup",
        /// An ACR task (`Microsoft.ContainerRegistry/registries/tasks`).
        Task = "task",
    }
}

closed_vocabulary! {
    /// Why a client × registry pair is analysed (see `docs/facts.md`).
    PairReason {
        Selected = "selected",
        RoleAssignment = "role_assignment",
        OnlyRegistry = "only_registry",
        /// An image reference or registry sign-in entry of the consumer names the registry's login server.
        ImageReference = "image_reference",
        /// An ACR task and the registry it belongs to.
        OwnRegistry = "own_registry",
    }
}

closed_vocabulary! {
    /// How a client VNet reaches a private endpoint's VNet.
    PeeringStatus { SameVnet = "same_vnet", Peered = "peered", NotPeered = "not_peered", Unknown = "unknown" }
}

closed_vocabulary! {
    /// Which principal the pull is authorised as.
    PrincipalKind {
        KubeletIdentity = "kubelet_identity",
        ServicePrincipal = "service_principal",
        None = "none",
        /// A consumer's own system- or user-assigned identity (web app, container app, container group, task).
        ManagedIdentity = "managed_identity",
        /// A user name and password (the admin user or a repository-scoped token): RBAC does not apply.
        RegistryCredentials = "registry_credentials",
    }
}

closed_vocabulary! {
    /// A yes/no answer that may not be knowable from ARM.
    Tristate { Yes = "yes", No = "no", Unknown = "unknown" }
}

closed_vocabulary! {
    /// Whether a principal may pull from a registry (`docs/facts.md`): `conditional` when only assignments with
    /// an ABAC condition grant it (some repositories), `unknown` when it cannot be known from ARM (assignments or
    /// a definition unreadable, a grant to a group whose members ARM does not list).
    PullGrant { Yes = "yes", No = "no", Conditional = "conditional", Unknown = "unknown" }
}

closed_vocabulary! {
    /// Which endpoint of a registry a path goes to.
    EndpointKind { Login = "login", Data = "data", Storage = "storage" }
}

closed_vocabulary! {
    /// The service tag family covering an endpoint's public addresses.
    EndpointService { AzureContainerRegistry = "AzureContainerRegistry", Storage = "Storage" }
}

closed_vocabulary! {
    /// What an endpoint's name resolves to from the client VNet.
    DnsStatus {
        Private = "private",
        Nxdomain = "nxdomain",
        Public = "public",
        NotApplicable = "not_applicable",
        Unknown = "unknown",
        /// The VNet's custom DNS servers all lead to something that answers no query (a firewall without DNS
        /// proxy, an address nothing holds): no name resolves.
        NoAnswer = "no_answer",
    }
}

closed_vocabulary! {
    /// Where the answer a client gets for an endpoint's name comes from (see `docs/facts.md`).
    DnsAnswer {
        /// The linked privatelink zone holds the record.
        PrivateRecord = "private_record",
        /// The linked zone lacks the record and its link's `resolutionPolicy` is `NxDomainRedirect`: public answer.
        PublicFallback = "public_fallback",
        /// The linked zone lacks the record: the name does not resolve.
        Nxdomain = "nxdomain",
        /// No privatelink zone is linked to the client VNet: public answer.
        Public = "public",
        /// A zone the answer depends on could not be read.
        Unknown = "unknown",
        /// Not resolved through a privatelink zone (storage endpoints).
        NotApplicable = "not_applicable",
        /// Nothing answers at the end of every custom DNS chain.
        NoAnswer = "no_answer",
    }
}

closed_vocabulary! {
    /// What answers at one DNS server address of a custom DNS chain (see `docs/facts.md`).
    DnsResponder {
        /// Azure-provided DNS (168.63.129.16) in `vnet`: its linked rulesets, then its zone links.
        AzureDns = "azure_dns",
        /// A DNS Private Resolver inbound endpoint: resolution happens in the resolver's VNet.
        ResolverInbound = "resolver_inbound",
        /// An Azure Firewall with its DNS proxy on: it forwards to its DNS servers, or to Azure DNS.
        FirewallProxy = "firewall_proxy",
        /// A VM's NIC: assumed to forward to Azure DNS from its own VNet.
        DnsVm = "dns_vm",
        /// Outside what the snapshot shows (on-premises, another tenant) or in a scope that could not be read.
        Unknown = "unknown",
        /// Nothing answers: an Azure Firewall without DNS proxy, or an address nothing holds.
        Nothing = "nothing",
    }
}

closed_vocabulary! {
    /// Where traffic is headed after DNS.
    DestinationKind { PrivateIp = "private_ip", ServiceTag = "service_tag", None = "none", Unknown = "unknown" }
}

closed_vocabulary! {
    /// Where an effective route came from.
    RouteOrigin { System = "system", User = "user", UserServiceTag = "user_service_tag" }
}

closed_vocabulary! {
    /// How much of the destination a next hop carries.
    Coverage { All = "all", Some = "some" }
}

closed_vocabulary! {
    /// Traffic direction, as NSG rules spell it.
    Direction { Outbound = "Outbound", Inbound = "Inbound" }
}

closed_vocabulary! {
    /// One NSG's verdict on a flow.
    NsgVerdictKind { Allow = "allow", Deny = "deny", Partial = "partial" }
}

closed_vocabulary! {
    /// The NSGs of a path together (`none`: no NSG on the path).
    NsgPathVerdict { Allow = "allow", Deny = "deny", Partial = "partial", None = "none" }
}

closed_vocabulary! {
    /// Where an NSG sits on the path.
    NsgLevel { ClientNic = "client_nic", ClientSubnet = "client_subnet", EndpointSubnet = "endpoint_subnet" }
}

closed_vocabulary! {
    /// The registry firewall's verdict on a path.
    FirewallVerdict {
        Allowed = "allowed",
        Blocked = "blocked",
        Unknown = "unknown",
        NotApplicable = "not_applicable",
    }
}

closed_vocabulary! {
    /// Whether a path works.
    Reachable { Yes = "yes", No = "no", Partial = "partial", Unknown = "unknown" }
}

closed_vocabulary! {
    /// An Azure Firewall's verdict on a path.
    AzureFirewallVerdict { Allow = "allow", Deny = "deny", Unknown = "unknown" }
}

closed_vocabulary! {
    /// The kind of an Azure Firewall rule.
    FirewallRuleKind { Network = "network", Application = "application" }
}

closed_vocabulary! {
    /// The first hop of a path that blocks it.
    BlockedAt {
        Dns = "dns",
        Peering = "peering",
        Route = "route",
        Nsg = "nsg",
        /// An Azure Firewall the route sends the traffic through.
        AzureFirewall = "azure_firewall",
        Firewall = "firewall",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_values_are_normalised_case_insensitively_and_unknown_ones_kept() {
        assert_eq!(ConnectionStatus::parse("approved"), ConnectionStatus::Approved);
        assert_eq!(DefaultAction::parse("DENY").as_str(), "Deny");
        assert_eq!(serde_json::to_string(&PublicNetworkAccess::parse("disabled")).unwrap(), "\"Disabled\"");
        let other = PublicNetworkAccess::parse("SecuredByPerimeter");
        assert_eq!(other, PublicNetworkAccess::Other("SecuredByPerimeter".into()));
        assert_eq!(serde_json::to_string(&other).unwrap(), "\"SecuredByPerimeter\"");
    }

    #[test]
    fn closed_words_serialise_as_documented() {
        assert_eq!(serde_json::to_string(&DnsStatus::NotApplicable).unwrap(), "\"not_applicable\"");
        assert_eq!(serde_json::to_string(&RouteOrigin::UserServiceTag).unwrap(), "\"user_service_tag\"");
        assert_eq!(Reachable::Partial.to_string(), "partial");
    }
}

closed_vocabulary! {
    /// How a consumer signs in to a registry server (`clients[_].registry_logins[_].method`).
    LoginMethod {
        /// A system- or user-assigned managed identity.
        ManagedIdentity = "managed_identity",
        /// A user name and password (admin user or token).
        Credentials = "credentials",
        /// ARM does not show how (App Service without managed identity keeps credentials in app settings,
        /// which Reader cannot list).
        Unknown = "unknown",
    }
}

closed_vocabulary! {
    /// Whether the identity a consumer is set to pull with exists on it (`registry_logins[_].identity_status`).
    IdentityStatus {
        /// Found on the consumer: `principal_id` is its object id.
        Resolved = "resolved",
        /// The system-assigned identity is named but not enabled on the consumer.
        NotEnabled = "not_enabled",
        /// A user-assigned identity is named but not assigned to the consumer.
        NotAssigned = "not_assigned",
        /// Cannot be known from the snapshot.
        Unknown = "unknown",
        /// The login does not use a managed identity.
        NotApplicable = "not_applicable",
    }
}

closed_vocabulary! {
    /// Where a consumer's image pulls leave from (`clients[_].pull_network`).
    PullNetwork {
        /// From the client's subnets: the pull gets full path analysis (`paths`).
        Vnet = "vnet",
        /// From the public network, from `egress_ips` (or unknown addresses): judged in `pairs[_].public_pull`.
        Public = "public",
        /// Not knowable from the snapshot (`pull_network_reason` says why).
        Unknown = "unknown",
    }
}

closed_vocabulary! {
    /// The registry's network rules on a pull from the public network (`pairs[_].public_pull.verdict`).
    PublicPullVerdict { Allowed = "allowed", Blocked = "blocked", Unknown = "unknown" }
}
