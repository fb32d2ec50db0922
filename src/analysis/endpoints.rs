//! The endpoints a client talks to when it pulls from a registry, with the cloud's DNS suffixes.
//!
//! A pull touches the login server (`<registry>.azurecr.io`) and, for layers, an endpoint per region the
//! registry lives in (home and each replica), chosen by how the client reaches the registry
//! ([`layer_endpoints`], the one fact both paths and rules read):
//!
//! - through a private endpoint: `<registry>.<region>.data.azurecr.io`, served by the endpoint's
//!   `registry_data_<region>` member, whether or not dedicated data endpoints are on. Microsoft Learn lists
//!   these records for every region in the private link DNS configuration
//!   (<https://learn.microsoft.com/azure/container-registry/container-registry-private-link>) and names the
//!   dedicated data endpoint as the layer endpoint of "registries with dedicated data endpoints or private
//!   endpoints" (<https://learn.microsoft.com/azure/container-registry/container-registry-endpoint-reference>);
//! - over the public endpoint: `<registry>.<region>.data.azurecr.io` when dedicated data endpoints are on,
//!   otherwise the registry's storage account (`*.blob.core.windows.net`, service tag `Storage.<region>`)
//!   (<https://learn.microsoft.com/azure/container-registry/container-registry-dedicated-data-endpoints>).

use super::facts::{Endpoint, EndpointKind, EndpointService, LayerEndpointFacts, PublicNetworkAccess, RegistryFacts};

/// DNS names of one Azure cloud.
#[derive(Debug, Clone, Copy)]
pub struct CloudSuffixes {
    /// `azurecr.io`.
    pub registry: &'static str,
    /// `privatelink.azurecr.io`.
    pub private_link_zone: &'static str,
    /// `blob.core.windows.net`.
    pub blob: &'static str,
}

impl CloudSuffixes {
    /// Suffixes by cloud name (`AzureCloud` when unknown).
    pub fn of(cloud: &str) -> CloudSuffixes {
        match cloud.to_ascii_lowercase().as_str() {
            "azurechinacloud" => CloudSuffixes {
                registry: "azurecr.cn",
                private_link_zone: "privatelink.azurecr.cn",
                blob: "blob.core.chinacloudapi.cn",
            },
            "azureusgovernment" => CloudSuffixes {
                registry: "azurecr.us",
                private_link_zone: "privatelink.azurecr.us",
                blob: "blob.core.usgovcloudapi.net",
            },
            _ => CloudSuffixes {
                registry: "azurecr.io",
                private_link_zone: "privatelink.azurecr.io",
                blob: "blob.core.windows.net",
            },
        }
    }
}

/// Which endpoint serves layers for a client that comes through a private endpoint, and for one that comes over
/// the public endpoint.
pub fn layer_endpoints(reg: &RegistryFacts) -> LayerEndpointFacts {
    let has_private_endpoint = !reg.private_endpoint_connections.is_empty() || !reg.private_endpoints.is_empty();
    LayerEndpointFacts {
        private_endpoint: has_private_endpoint.then_some(EndpointKind::Data),
        public: (reg.public_network_access != PublicNetworkAccess::Disabled).then_some(if reg.data_endpoint_enabled {
            EndpointKind::Data
        } else {
            EndpointKind::Storage
        }),
    }
}

/// The endpoints of a registry in a cloud, for a client that reaches it over its public endpoint: the login
/// server, then one layer endpoint per region. [`through_private_endpoint`] turns a layer endpoint into the one a
/// client behind a private endpoint uses.
pub fn registry_endpoints(reg: &RegistryFacts, cloud: CloudSuffixes) -> Vec<Endpoint> {
    let name = reg.name.to_ascii_lowercase();
    let login = reg.login_server.clone().unwrap_or_else(|| format!("{name}.{}", cloud.registry)).to_ascii_lowercase();
    let home = reg.location.to_ascii_lowercase();
    let mut out = vec![Endpoint {
        kind: EndpointKind::Login,
        fqdn: login,
        region: home,
        private_link_record: Some(name.clone()),
        service: EndpointService::AzureContainerRegistry,
    }];
    // With public access disabled no public client pulls; the path still shows where one would be sent.
    let public = reg.layer_endpoints.public.unwrap_or(if reg.data_endpoint_enabled {
        EndpointKind::Data
    } else {
        EndpointKind::Storage
    });
    for region in &reg.regions {
        out.push(layer_endpoint(&name, region, public, cloud));
    }
    out
}

/// The layer endpoint a client uses for `endpoint`'s region once its login server resolves to a private
/// endpoint (unchanged for the login server, or when the registry has no private endpoint).
pub fn through_private_endpoint(reg: &RegistryFacts, endpoint: &Endpoint, cloud: CloudSuffixes) -> Endpoint {
    match (endpoint.kind, reg.layer_endpoints.private_endpoint) {
        (EndpointKind::Login, _) | (_, None) => endpoint.clone(),
        (_, Some(kind)) => layer_endpoint(&reg.name.to_ascii_lowercase(), &endpoint.region, kind, cloud),
    }
}

/// The layer endpoint of one region.
fn layer_endpoint(name: &str, region: &str, kind: EndpointKind, cloud: CloudSuffixes) -> Endpoint {
    match kind {
        EndpointKind::Storage => Endpoint {
            kind: EndpointKind::Storage,
            fqdn: format!("*.{}", cloud.blob),
            region: region.to_string(),
            private_link_record: None,
            service: EndpointService::Storage,
        },
        _ => Endpoint {
            kind: EndpointKind::Data,
            fqdn: format!("{name}.{region}.data.{}", cloud.registry),
            region: region.to_string(),
            private_link_record: Some(format!("{name}.{region}.data")),
            service: EndpointService::AzureContainerRegistry,
        },
    }
}
