//! The endpoints a client talks to when it pulls from a registry, with the cloud's DNS suffixes.
//!
//! A pull touches the login server (`<registry>.azurecr.io`) and, for layers, a data endpoint per region the
//! registry lives in (home and each replica): `<registry>.<region>.data.azurecr.io` when dedicated data
//! endpoints are on, otherwise the registry's storage account (`*.blob.core.windows.net`, service tag
//! `Storage.<region>`).

use super::facts::{Endpoint, EndpointKind, EndpointService, RegistryFacts};

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

/// The endpoints of a registry in a cloud.
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
    for region in &reg.regions {
        out.push(if reg.data_endpoint_enabled {
            Endpoint {
                kind: EndpointKind::Data,
                fqdn: format!("{name}.{region}.data.{}", cloud.registry),
                region: region.clone(),
                private_link_record: Some(format!("{name}.{region}.data")),
                service: EndpointService::AzureContainerRegistry,
            }
        } else {
            Endpoint {
                kind: EndpointKind::Storage,
                fqdn: format!("*.{}", cloud.blob),
                region: region.clone(),
                private_link_record: None,
                service: EndpointService::Storage,
            }
        });
    }
    out
}
