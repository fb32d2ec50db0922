//! The endpoints a client talks to when it pulls from a registry, with the cloud's DNS suffixes.
//!
//! A pull touches the login server (`<registry>.azurecr.io`) and, for layers, a data endpoint per region the
//! registry lives in (home and each replica): `<registry>.<region>.data.azurecr.io` when dedicated data
//! endpoints are on, otherwise the registry's storage account (`*.blob.core.windows.net`, service tag
//! `Storage.<region>`).

use super::facts::RegistryFacts;
use serde::Serialize;

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

/// One endpoint of a registry.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Endpoint {
    /// `login`, `data` (dedicated data endpoint) or `storage` (the registry's storage account).
    pub kind: &'static str,
    /// The name clients resolve (`*.blob.core.windows.net` for storage).
    pub fqdn: String,
    /// Region served.
    pub region: String,
    /// Record name in the private link zone (`contoso`, `contoso.eastus.data`); none for storage.
    pub private_link_record: Option<String>,
    /// Service tag covering the public side: `AzureContainerRegistry` or `Storage` (regional form resolved later).
    pub service: &'static str,
}

/// The endpoints of a registry in a cloud.
pub fn registry_endpoints(reg: &RegistryFacts, cloud: CloudSuffixes) -> Vec<Endpoint> {
    let name = reg.name.to_ascii_lowercase();
    let login = reg.login_server.clone().unwrap_or_else(|| format!("{name}.{}", cloud.registry)).to_ascii_lowercase();
    let home = reg.location.to_ascii_lowercase();
    let mut out = vec![Endpoint {
        kind: "login",
        fqdn: login,
        region: home,
        private_link_record: Some(name.clone()),
        service: "AzureContainerRegistry",
    }];
    for region in &reg.regions {
        out.push(if reg.data_endpoint_enabled {
            Endpoint {
                kind: "data",
                fqdn: format!("{name}.{region}.data.{}", cloud.registry),
                region: region.clone(),
                private_link_record: Some(format!("{name}.{region}.data")),
                service: "AzureContainerRegistry",
            }
        } else {
            Endpoint {
                kind: "storage",
                fqdn: format!("*.{}", cloud.blob),
                region: region.clone(),
                private_link_record: None,
                service: "Storage",
            }
        });
    }
    out
}
