//! The Azure clouds: ARM endpoint, the token audience ARM expects, the Microsoft Entra authority.

/// A sovereign or public Azure cloud.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cloud {
    /// Azure public cloud.
    AzureCloud,
    /// Azure operated by 21Vianet.
    AzureChinaCloud,
    /// Azure Government.
    AzureUSGovernment,
}

impl Cloud {
    /// Parse `AzureCloud`, `AzureChinaCloud`, `AzureUSGovernment` (case-insensitive).
    pub fn parse(name: &str) -> Option<Cloud> {
        match name.to_ascii_lowercase().as_str() {
            "azurecloud" | "public" => Some(Cloud::AzureCloud),
            "azurechinacloud" | "china" => Some(Cloud::AzureChinaCloud),
            "azureusgovernment" | "usgov" => Some(Cloud::AzureUSGovernment),
            _ => None,
        }
    }

    /// The name written into snapshots.
    pub fn name(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "AzureCloud",
            Cloud::AzureChinaCloud => "AzureChinaCloud",
            Cloud::AzureUSGovernment => "AzureUSGovernment",
        }
    }

    /// ARM endpoint.
    pub fn arm_endpoint(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "https://management.azure.com",
            Cloud::AzureChinaCloud => "https://management.chinacloudapi.cn",
            Cloud::AzureUSGovernment => "https://management.usgovcloudapi.net",
        }
    }

    /// The scope to request tokens for: the cloud's ARM audience, whatever endpoint requests go to.
    pub fn arm_scope(self) -> String {
        format!("{}/.default", self.arm_endpoint())
    }

    /// Microsoft Entra authority host (`AZURE_AUTHORITY_HOST` overrides it).
    pub fn authority_host(self) -> &'static str {
        match self {
            Cloud::AzureCloud => "https://login.microsoftonline.com",
            Cloud::AzureChinaCloud => "https://login.chinacloudapi.cn",
            Cloud::AzureUSGovernment => "https://login.microsoftonline.us",
        }
    }
}
