//! A consumer's own managed identities, and which of them a registry sign-in names.
//!
//! `identity.type` is `SystemAssigned`, `UserAssigned`, `None` or both; the Web, ACI and ACR specs spell both
//! `SystemAssigned, UserAssigned`, the Container Apps examples `SystemAssigned,UserAssigned`
//! (`ContainerApps_Get.json`, 2026-01-01): the type is split on `,` and trimmed. `userAssignedIdentities` is
//! keyed by resource id, whose case ARM does not keep (`resourceGroups` / `resourcegroups`): keys are compared
//! case-insensitively.
//!
//! What names the pulling identity differs by kind:
//! - App Service `acrUserManagedIdentityID`: the user-assigned identity's **client id** ("If using user managed
//!   identity, the user managed identity ClientId", SiteConfig model); empty means the system-assigned identity;
//! - Container Apps `configuration.registries[].identity`: `system` or the user-assigned identity's resource id
//!   (<https://learn.microsoft.com/javascript/api/@azure/arm-appcontainers/registrycredentials>);
//! - ACI `imageRegistryCredentials[].identity`: the user-assigned identity's resource id
//!   (<https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi>).

use crate::analysis::facts::{IdentityStatus, ManagedIdentityFacts, UserAssignedIdentityFacts};
use crate::model::{id_key, ManagedServiceIdentity};

/// How a sign-in names the identity it pulls with.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdentityRef<'a> {
    /// The system-assigned identity.
    System,
    /// A user-assigned identity by client id (App Service).
    ClientId(&'a str),
    /// A user-assigned identity by resource id (Container Apps, ACI).
    ResourceId(&'a str),
}

/// A non-empty, trimmed string (ARM sends `""` for unset values).
pub(crate) fn set(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

/// The parts of `identity.type`, trimmed.
fn types(identity: &ManagedServiceIdentity) -> impl Iterator<Item = &str> {
    identity.kind.as_deref().unwrap_or("").split(',').map(str::trim).filter(|t| !t.is_empty())
}

/// Whether the system-assigned identity is enabled: `identity.type` names it (or, with no type at all, a
/// `principalId` is present).
pub(crate) fn system_enabled(identity: Option<&ManagedServiceIdentity>) -> bool {
    let Some(identity) = identity else { return false };
    let mut parts = types(identity).peekable();
    if parts.peek().is_none() {
        return set(identity.principal_id.as_deref()).is_some();
    }
    parts.any(|t| t.eq_ignore_ascii_case("SystemAssigned"))
}

/// Whether `identity.type` says "None": the user-assigned map, if ARM still echoes one, is not in effect.
fn none_type(identity: &ManagedServiceIdentity) -> bool {
    let parts: Vec<&str> = types(identity).collect();
    !parts.is_empty() && parts.iter().all(|t| t.eq_ignore_ascii_case("None"))
}

/// The user-assigned identities in effect on the resource.
fn user_assigned(identity: Option<&ManagedServiceIdentity>) -> Vec<UserAssignedIdentityFacts> {
    let Some(identity) = identity.filter(|i| !none_type(i)) else { return vec![] };
    identity
        .user_assigned_identities
        .iter()
        .map(|(id, u)| UserAssignedIdentityFacts {
            resource_id: id.clone(),
            principal_id: set(u.principal_id.as_deref()).map(str::to_string),
            client_id: set(u.client_id.as_deref()).map(str::to_string),
        })
        .collect()
}

/// `clients[_].identity` of a consumer (an empty one when the resource has no `identity`).
pub(crate) fn identity_facts(identity: Option<&ManagedServiceIdentity>) -> ManagedIdentityFacts {
    ManagedIdentityFacts {
        system_principal_id: if system_enabled(identity) {
            identity.and_then(|i| set(i.principal_id.as_deref())).map(str::to_string)
        } else {
            None
        },
        user_assigned: user_assigned(identity),
    }
}

/// Whether the identity a sign-in names is on the consumer, and its object id when it is.
pub(crate) fn resolve(
    identity: Option<&ManagedServiceIdentity>,
    wanted: IdentityRef<'_>,
) -> (IdentityStatus, Option<String>) {
    match wanted {
        IdentityRef::System => {
            if system_enabled(identity) {
                let principal = identity.and_then(|i| set(i.principal_id.as_deref())).map(str::to_string);
                (IdentityStatus::Resolved, principal)
            } else {
                (IdentityStatus::NotEnabled, None)
            }
        }
        IdentityRef::ResourceId(id) => {
            let key = id_key(id.trim());
            match user_assigned(identity).into_iter().find(|u| id_key(&u.resource_id) == key) {
                Some(u) => (IdentityStatus::Resolved, u.principal_id),
                None => (IdentityStatus::NotAssigned, None),
            }
        }
        IdentityRef::ClientId(client_id) => {
            let assigned = user_assigned(identity);
            let client_id = client_id.trim();
            match assigned
                .iter()
                .find(|u| u.client_id.as_deref().map(|c| c.eq_ignore_ascii_case(client_id)).unwrap_or(false))
            {
                Some(u) => (IdentityStatus::Resolved, u.principal_id.clone()),
                // An assigned identity whose client id ARM did not return may be the one named.
                None if assigned.iter().any(|u| u.client_id.is_none()) => (IdentityStatus::Unknown, None),
                None => (IdentityStatus::NotAssigned, None),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const UAMI: &str = "/subscriptions/34adfa4f-cedf-4dc0-ba29-b6d1a69ab345/resourcegroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/myidentity";

    fn identity(value: serde_json::Value) -> ManagedServiceIdentity {
        serde_json::from_value(value).unwrap()
    }

    /// The identity of `ContainerApps_Get.json` (2026-01-01): both kinds, spelled without a space.
    fn container_app_identity() -> ManagedServiceIdentity {
        identity(serde_json::json!({
            "type": "SystemAssigned,UserAssigned",
            "principalId": "24adfa4f-dedf-8dc0-ca29-b6d1a69ab319",
            "tenantId": "23adfa4f-eedf-1dc0-ba29-a6d1a69ab3d0",
            "userAssignedIdentities": {UAMI: {
                "clientId": "14adfa4f-eedf-1dc0-ba29-a6d1a69ab3df",
                "principalId": "74adfa4f-dedf-8dc0-ca29-b6d1a69ab312"}}
        }))
    }

    #[test]
    fn both_spellings_of_the_combined_type_enable_the_system_identity() {
        let app = container_app_identity();
        assert_eq!(resolve(Some(&app), IdentityRef::System).0, IdentityStatus::Resolved);
        let mut spaced = app.clone();
        spaced.kind = Some("SystemAssigned, UserAssigned".into());
        assert_eq!(
            resolve(Some(&spaced), IdentityRef::System),
            (IdentityStatus::Resolved, Some("24adfa4f-dedf-8dc0-ca29-b6d1a69ab319".into()))
        );
        let facts = identity_facts(Some(&spaced));
        assert_eq!(facts.system_principal_id.as_deref(), Some("24adfa4f-dedf-8dc0-ca29-b6d1a69ab319"));
        assert_eq!(facts.user_assigned.len(), 1);
        let mut user_only = app;
        user_only.kind = Some("UserAssigned".into());
        assert_eq!(resolve(Some(&user_only), IdentityRef::System), (IdentityStatus::NotEnabled, None));
        assert_eq!(identity_facts(Some(&user_only)).system_principal_id, None);
        assert_eq!(resolve(None, IdentityRef::System), (IdentityStatus::NotEnabled, None));
    }

    #[test]
    fn resource_ids_match_whatever_their_case() {
        let app = container_app_identity();
        let upper = UAMI.replace("resourcegroups", "resourceGroups").replace("myidentity", "MyIdentity");
        assert_eq!(
            resolve(Some(&app), IdentityRef::ResourceId(&upper)),
            (IdentityStatus::Resolved, Some("74adfa4f-dedf-8dc0-ca29-b6d1a69ab312".into()))
        );
        let other = UAMI.replace("myidentity", "otheridentity");
        assert_eq!(resolve(Some(&app), IdentityRef::ResourceId(&other)), (IdentityStatus::NotAssigned, None));
    }

    #[test]
    fn app_service_names_the_user_assigned_identity_by_client_id() {
        let app = container_app_identity();
        assert_eq!(
            resolve(Some(&app), IdentityRef::ClientId("14ADFA4F-eedf-1dc0-ba29-a6d1a69ab3df")),
            (IdentityStatus::Resolved, Some("74adfa4f-dedf-8dc0-ca29-b6d1a69ab312".into()))
        );
        // The resource id is not the client id.
        assert_eq!(resolve(Some(&app), IdentityRef::ClientId(UAMI)).0, IdentityStatus::NotAssigned);
        // An assigned identity without a client id in the snapshot may be the one named.
        let mut no_client = app;
        no_client.user_assigned_identities.values_mut().for_each(|u| u.client_id = None);
        assert_eq!(resolve(Some(&no_client), IdentityRef::ClientId("x")).0, IdentityStatus::Unknown);
    }

    #[test]
    fn type_none_puts_no_identity_in_effect() {
        let mut none = container_app_identity();
        none.kind = Some("None".into());
        assert_eq!(resolve(Some(&none), IdentityRef::System).0, IdentityStatus::NotEnabled);
        assert_eq!(resolve(Some(&none), IdentityRef::ResourceId(UAMI)).0, IdentityStatus::NotAssigned);
        let facts = identity_facts(Some(&none));
        assert!(facts.system_principal_id.is_none() && facts.user_assigned.is_empty());
    }
}
