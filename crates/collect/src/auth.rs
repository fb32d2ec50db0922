//! Sign-in, the way the Azure CLI and SDKs do it: environment (client secret, or workload identity federation
//! with `AZURE_FEDERATED_TOKEN_FILE` as in GitHub Actions OIDC and AKS), managed identity, Azure CLI.
//! Each method is tried with a real token request, so a failed sign-in says which methods were tried and why
//! each failed. Tokens stay inside `azure_identity`; nothing here formats one, and every reason goes through
//! `redact` (an identity provider's error can echo the request).

use super::redact::{redact, remember};
use super::transport::TooLarge;
use super::CollectError;
use azure_core::auth::TokenCredential;
use azure_identity::{
    AzureCliCredential, EnvironmentCredential, TokenCredentialOptions, VirtualMachineManagedIdentityCredential,
};
use std::sync::Arc;

/// A credential method `--auth` can force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthMethod {
    /// Environment variables: client secret or workload identity federation.
    Env,
    /// The managed identity of the VM, App Service or AKS node (IMDS).
    ManagedIdentity,
    /// The Azure CLI's signed-in account.
    Cli,
}

impl AuthMethod {
    /// Parse `env`, `managed-identity`, `cli`.
    pub fn parse(s: &str) -> Option<AuthMethod> {
        match s.to_ascii_lowercase().as_str() {
            "env" | "environment" => Some(AuthMethod::Env),
            "managed-identity" | "msi" | "mi" => Some(AuthMethod::ManagedIdentity),
            "cli" | "azure-cli" => Some(AuthMethod::Cli),
            _ => None,
        }
    }

    fn label(self) -> &'static str {
        match self {
            AuthMethod::Env => "environment (AZURE_CLIENT_SECRET / AZURE_FEDERATED_TOKEN_FILE)",
            AuthMethod::ManagedIdentity => "managed identity",
            AuthMethod::Cli => "Azure CLI",
        }
    }
}

/// The first error line of a credential failure, without anything that could echo a secret back. A token
/// response over the bound says so (the credential wraps it in a generic "request token error").
fn reason(e: &azure_core::Error) -> String {
    if let Some(too_large) = TooLarge::in_chain(e) {
        return too_large.to_string();
    }
    let text = redact(&e.to_string());
    let first = text.lines().next().unwrap_or("").trim();
    let cut: String = first.chars().take(300).collect();
    if cut.to_ascii_lowercase().contains("secret=") || cut.contains("eyJ") {
        "the token request failed".into()
    } else {
        cut
    }
}

/// Which environment variables an environment sign-in lacks (names only, never values).
fn missing_env() -> Option<String> {
    let unset: Vec<&str> = ["AZURE_TENANT_ID", "AZURE_CLIENT_ID"]
        .into_iter()
        .filter(|v| std::env::var_os(v).map(|x| x.is_empty()).unwrap_or(true))
        .collect();
    let has_secret =
        std::env::var_os("AZURE_CLIENT_SECRET").is_some() || std::env::var_os("AZURE_FEDERATED_TOKEN_FILE").is_some();
    let mut missing = unset.join(", ");
    if !has_secret {
        if !missing.is_empty() {
            missing.push_str(", ");
        }
        missing.push_str("AZURE_CLIENT_SECRET or AZURE_FEDERATED_TOKEN_FILE");
    }
    (!missing.is_empty()).then(|| format!("not set: {missing}"))
}

/// Build the credential: the forced method, or the chain env → managed identity → CLI. Managed identity is
/// tried in the chain only where a managed identity endpoint is advertised (`IDENTITY_ENDPOINT`,
/// `MSI_ENDPOINT`) or when forced, so a laptop or CI runner does not wait on IMDS.
pub(crate) async fn credential(
    method: Option<AuthMethod>,
    options: TokenCredentialOptions,
    scope: &str,
) -> Result<Arc<dyn TokenCredential>, CollectError> {
    let order: Vec<AuthMethod> = match method {
        Some(m) => vec![m],
        None => {
            let mut v = vec![AuthMethod::Env];
            if std::env::var_os("IDENTITY_ENDPOINT").is_some() || std::env::var_os("MSI_ENDPOINT").is_some() {
                v.push(AuthMethod::ManagedIdentity);
            }
            v.push(AuthMethod::Cli);
            v
        }
    };
    let mut attempts = Vec::new();
    for m in order {
        let built: Result<Arc<dyn TokenCredential>, azure_core::Error> = match m {
            AuthMethod::Env => {
                EnvironmentCredential::create(options.clone()).map(|c| Arc::new(c) as Arc<dyn TokenCredential>)
            }
            AuthMethod::ManagedIdentity => {
                Ok(Arc::new(VirtualMachineManagedIdentityCredential::new(options.clone())) as Arc<dyn TokenCredential>)
            }
            AuthMethod::Cli => AzureCliCredential::create().map(|c| Arc::new(c) as Arc<dyn TokenCredential>),
        };
        let cred = match built {
            Ok(c) => c,
            Err(e) => {
                let why = match m {
                    AuthMethod::Env => missing_env().unwrap_or_else(|| reason(&e)),
                    _ => reason(&e),
                };
                attempts.push((m.label().to_string(), why));
                continue;
            }
        };
        match cred.get_token(&[scope]).await {
            Ok(token) => {
                // Remembered so that a message echoing it later is redacted, whatever the token's shape.
                remember(token.token.secret());
                return Ok(cred);
            }
            Err(e) => attempts.push((m.label().to_string(), reason(&e))),
        }
    }
    Err(CollectError::Auth { attempts })
}
