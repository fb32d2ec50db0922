//! Whether a principal can pull from a registry: role assignments read at the registry scope (they include
//! those inherited from resource group, subscription and management group), role definitions resolved, and
//! Azure's action matching: `*` wildcards, case-insensitive, `notActions` subtracted within their block.
//!
//! Which roles count depends on the registry's `roleAssignmentMode` (api-version 2025-11-01):
//! - `LegacyRegistryPermissions` (ARM's default) honours the action `Microsoft.ContainerRegistry/registries/pull/read`
//!   (AcrPull, AcrPush, Owner, Contributor, Reader through `*` / `*/read`);
//! - `AbacRepositoryPermissions` honours only the data action
//!   `Microsoft.ContainerRegistry/registries/repositories/content/read` (the ABAC-enabled Container Registry
//!   Repository Reader / Writer / Contributor roles): AcrPull, AcrPush and AcrDelete are not honoured, and Owner,
//!   Contributor and Reader grant no data-plane access. An assignment with an ABAC `condition` grants for the
//!   repositories the condition admits only.
//!
//! Sources (Microsoft Learn):
//! <https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions>
//! ("Effect on existing role assignments"),
//! <https://learn.microsoft.com/azure/container-registry/container-registry-rbac-built-in-roles-directory-reference>
//! (roles per mode: the Repository roles are listed for ABAC-enabled registries only; privileged roles have no
//! data-plane permissions there),
//! <https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/containers> (GUIDs, actions and
//! data actions of the built-in roles below).

use super::facts::{Grant, GroupGrant, PrincipalKind, PullGrant, RbacFacts, RoleAssignmentMode, Tristate};
use crate::model::{id_key, Model, RoleDefinition};

/// The action that lets a principal pull from a registry in `LegacyRegistryPermissions` mode.
pub const PULL_ACTION: &str = "Microsoft.ContainerRegistry/registries/pull/read";

/// The data action that lets a principal pull in `AbacRepositoryPermissions` mode.
pub const ABAC_PULL_DATA_ACTION: &str = "Microsoft.ContainerRegistry/registries/repositories/content/read";

/// The built-in role to assign for pulls in each mode.
pub const LEGACY_PULL_ROLE: &str = "AcrPull";
/// The ABAC-enabled built-in role to assign for pulls.
pub const ABAC_PULL_ROLE: &str = "Container Registry Repository Reader";

/// A built-in role, for assignments whose definition the snapshot lacks.
struct BuiltinRole {
    guid: &'static str,
    name: &'static str,
    actions: &'static [&'static str],
    not_actions: &'static [&'static str],
    data_actions: &'static [&'static str],
}

const REPOSITORY_READ: &[&str] = &[
    "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
    "Microsoft.ContainerRegistry/registries/repositories/content/read",
];

/// Built-in roles as Microsoft Learn lists them (built-in-roles/containers, built-in-roles general).
const BUILTIN_ROLES: &[BuiltinRole] = &[
    BuiltinRole {
        guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
        name: "AcrPull",
        actions: &["Microsoft.ContainerRegistry/registries/pull/read"],
        not_actions: &[],
        data_actions: &[],
    },
    BuiltinRole {
        guid: "8311e382-0749-4cb8-b61a-304f252e45ec",
        name: "AcrPush",
        actions: &[
            "Microsoft.ContainerRegistry/registries/pull/read",
            "Microsoft.ContainerRegistry/registries/push/write",
        ],
        not_actions: &[],
        data_actions: &[],
    },
    BuiltinRole {
        guid: "b93aa761-3e63-49ed-ac28-beffa264f7ac",
        name: "Container Registry Repository Reader",
        actions: &[],
        not_actions: &[],
        data_actions: REPOSITORY_READ,
    },
    BuiltinRole {
        guid: "2a1e307c-b015-4ebd-883e-5b7698a07328",
        name: "Container Registry Repository Writer",
        actions: &[],
        not_actions: &[],
        data_actions: &[
            "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
            "Microsoft.ContainerRegistry/registries/repositories/content/read",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/write",
            "Microsoft.ContainerRegistry/registries/repositories/content/write",
        ],
    },
    BuiltinRole {
        guid: "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
        name: "Container Registry Repository Contributor",
        actions: &[],
        not_actions: &[],
        data_actions: &[
            "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
            "Microsoft.ContainerRegistry/registries/repositories/content/read",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/write",
            "Microsoft.ContainerRegistry/registries/repositories/content/write",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/delete",
            "Microsoft.ContainerRegistry/registries/repositories/content/delete",
        ],
    },
    BuiltinRole {
        guid: "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
        name: "Container Registry Data Importer and Data Reader",
        actions: &[
            "Microsoft.ContainerRegistry/registries/importImage/action",
            "Microsoft.ContainerRegistry/registries/read",
            "Microsoft.ContainerRegistry/registries/pull/read",
        ],
        not_actions: &[],
        data_actions: &[
            "Microsoft.ContainerRegistry/registries/repositories/content/read",
            "Microsoft.ContainerRegistry/registries/repositories/metadata/read",
            "Microsoft.ContainerRegistry/registries/catalog/read",
        ],
    },
    BuiltinRole {
        guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
        name: "Owner",
        actions: &["*"],
        not_actions: &[],
        data_actions: &[],
    },
    BuiltinRole {
        guid: "b24988ac-6180-42a0-ab88-20f7382dd24c",
        name: "Contributor",
        actions: &["*"],
        not_actions: &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete",
        ],
        data_actions: &[],
    },
    BuiltinRole {
        guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
        name: "Reader",
        actions: &["*/read"],
        not_actions: &[],
        data_actions: &[],
    },
];

/// Azure's action pattern match: `*` matches any run of characters; case-insensitive.
///
/// Linear and iterative, whatever the pattern: the pattern is split at its stars; the first piece must start
/// the action, the last must end it, and the pieces between are found left to right, each as early as
/// possible (taking the earliest match never loses one, because a star can absorb whatever lies between).
/// A recursive matcher backtracks exponentially on many stars and overflows the stack on very many: role
/// definitions are data an attacker can write.
pub fn action_matches(pattern: &str, action: &str) -> bool {
    let (pattern, action) = (pattern.to_ascii_lowercase(), action.to_ascii_lowercase());
    let mut pieces = pattern.split('*');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = action.strip_prefix(first) else { return false };
    let between: Vec<&str> = pieces.collect();
    let Some((last, middle)) = between.split_last() else {
        // No star at all: the whole pattern had to be the whole action.
        return rest.is_empty();
    };
    for piece in middle.iter().filter(|p| !p.is_empty()) {
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

fn grants<S: AsRef<str>>(actions: &[S], not_actions: &[S], action: &str) -> bool {
    actions.iter().any(|p| action_matches(p.as_ref(), action))
        && !not_actions.iter().any(|p| action_matches(p.as_ref(), action))
}

/// Whether a role definition grants `action` (control or data plane).
pub fn definition_grants(def: &RoleDefinition, action: &str) -> bool {
    def.properties.permissions.iter().any(|perm| {
        grants(&perm.actions, &perm.not_actions, action) || grants(&perm.data_actions, &perm.not_data_actions, action)
    })
}

/// Whether a role definition grants the data action `action` (data actions only: `*` in `actions` never covers
/// a data action).
fn definition_grants_data(def: &RoleDefinition, action: &str) -> bool {
    def.properties.permissions.iter().any(|perm| grants(&perm.data_actions, &perm.not_data_actions, action))
}

fn role_definition<'m>(model: &'m Model, id: &str) -> Option<&'m RoleDefinition> {
    model.role_definition(id).or_else(|| {
        let guid = id.rsplit('/').next()?.to_ascii_lowercase();
        model.role_definitions.iter().find(|d| d.name.eq_ignore_ascii_case(&guid))
    })
}

/// What a role allows a puller in each mode: (legacy, abac).
fn role_pull_by_mode(model: &Model, role_definition_id: &str) -> Option<((bool, bool), Option<String>)> {
    if let Some(def) = role_definition(model, role_definition_id) {
        let legacy = definition_grants(def, PULL_ACTION);
        let abac = definition_grants_data(def, ABAC_PULL_DATA_ACTION);
        return Some(((legacy, abac), def.properties.role_name.clone()));
    }
    let guid = role_definition_id.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    let role = BUILTIN_ROLES.iter().find(|r| r.guid == guid)?;
    let legacy = grants(role.actions, role.not_actions, PULL_ACTION) || grants(role.data_actions, &[], PULL_ACTION);
    let abac = grants(role.data_actions, &[], ABAC_PULL_DATA_ACTION);
    Some(((legacy, abac), Some(role.name.to_string())))
}

/// Does `role_definition_id` grant pull under `mode`? `None` when the definition is neither in the snapshot nor
/// built in, or when the mode is unknown and the two modes disagree (absent mode: ARM's default, legacy, decides
/// a yes; a role only the ABAC mode would honour is unknown rather than "no pull", so an old snapshot of an
/// ABAC registry raises no false finding).
fn role_grants_pull(
    model: &Model,
    role_definition_id: &str,
    mode: Option<&RoleAssignmentMode>,
) -> (Option<bool>, Option<String>) {
    let Some(((legacy, abac), name)) = role_pull_by_mode(model, role_definition_id) else { return (None, None) };
    let pull = match mode {
        Some(RoleAssignmentMode::LegacyRegistryPermissions) => Some(legacy),
        Some(RoleAssignmentMode::AbacRepositoryPermissions) => Some(abac),
        None if legacy => Some(true),
        None | Some(RoleAssignmentMode::Other(_)) => (legacy == abac).then_some(legacy),
    };
    (pull, name)
}

fn is_group(principal_type: Option<&str>) -> bool {
    principal_type.map(|t| t.eq_ignore_ascii_case("Group") || t.eq_ignore_ascii_case("ForeignGroup")).unwrap_or(false)
}

/// RBAC facts for a principal against a registry; `node` is (node resource group, kubelet identity resource id).
pub fn rbac_facts(
    model: &Model,
    registry_id: &str,
    principal_id: Option<&str>,
    principal_kind: PrincipalKind,
    node: Option<(&str, &str)>,
) -> RbacFacts {
    let mode = model
        .registry(registry_id)
        .and_then(|r| r.properties.role_assignment_mode.as_deref())
        .map(RoleAssignmentMode::parse);
    let pull_role =
        if mode == Some(RoleAssignmentMode::AbacRepositoryPermissions) { ABAC_PULL_ROLE } else { LEGACY_PULL_ROLE };
    let assignments = model.role_assignments(registry_id);
    let unread = model.unread(registry_id, "Microsoft.Authorization/roleAssignments");
    let readable = assignments.is_some() && !unread;
    let mut grants = Vec::new();
    let mut group_grants = Vec::new();
    let mut unknown_definitions: Vec<String> = Vec::new();
    let mut pull_principals: Vec<String> = Vec::new();
    for a in assignments.unwrap_or(&[]) {
        let p = &a.properties;
        let (pull, role_name) = role_grants_pull(model, &p.role_definition_id, mode.as_ref());
        if pull == Some(true) && !pull_principals.contains(&p.principal_id) {
            pull_principals.push(p.principal_id.clone());
        }
        let mine = principal_id.map(|id| id.eq_ignore_ascii_case(&p.principal_id)).unwrap_or(false);
        let group = is_group(p.principal_type.as_deref()) && pull != Some(false);
        if (mine || group)
            && role_pull_by_mode(model, &p.role_definition_id).is_none()
            && !unknown_definitions.contains(&p.role_definition_id)
        {
            unknown_definitions.push(p.role_definition_id.clone());
        }
        if mine {
            grants.push(Grant {
                assignment: a.id.clone(),
                role_definition: p.role_definition_id.clone(),
                role_name,
                scope: p.scope.clone(),
                grants_pull: pull,
                condition: p.condition.clone(),
                condition_version: p.condition_version.clone(),
            });
        } else if group {
            group_grants.push(GroupGrant {
                group: p.principal_id.clone(),
                principal_type: p.principal_type.clone().unwrap_or_default(),
                assignment: a.id.clone(),
                role_definition: p.role_definition_id.clone(),
                role_name,
                scope: p.scope.clone(),
                grants_pull: pull,
                condition: p.condition.clone(),
            });
        }
    }
    let grants_pull = if !readable || principal_id.is_none() {
        PullGrant::Unknown
    } else if grants.iter().any(|g| g.grants_pull == Some(true) && g.condition.is_none()) {
        PullGrant::Yes
    } else if grants.iter().any(|g| g.grants_pull == Some(true)) {
        // Only assignments narrowed by an ABAC condition grant: pulls work for the repositories it admits.
        PullGrant::Conditional
    } else if grants.iter().any(|g| g.grants_pull.is_none()) || !group_grants.is_empty() {
        // A definition (or the mode) is unknown, or a group the identity may belong to holds pull.
        PullGrant::Unknown
    } else {
        PullGrant::No
    };
    let (identity_on_node_vmss, node_vmss) = match node {
        Some((node_rg, identity_id)) => vmss_has_identity(model, node_rg, identity_id),
        None => (Tristate::Unknown, vec![]),
    };
    RbacFacts {
        principal_id: principal_id.map(str::to_string),
        principal_kind,
        role_assignment_mode: mode,
        pull_role,
        assignments_readable: readable,
        grants,
        grants_pull,
        group_grants,
        unknown_definitions,
        pull_principals,
        identity_on_node_vmss,
        node_vmss,
    }
}

/// Whether every node scale set and node VM of the node resource group carries the identity (VMs: `VirtualMachines`
/// pools and node auto-provisioning, see `super::nodes`).
fn vmss_has_identity(model: &Model, node_rg: &str, identity_id: &str) -> (Tristate, Vec<String>) {
    let pools = super::nodes::machines_in(model, None, node_rg);
    if pools.is_empty() {
        return (Tristate::Unknown, vec![]);
    }
    let key = id_key(identity_id);
    let on = pools.iter().all(|m| m.identities.iter().any(|k| id_key(k) == key));
    (if on { Tristate::Yes } else { Tristate::No }, pools.iter().map(|m| m.id.to_string()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_case_insensitively() {
        assert!(action_matches("Microsoft.ContainerRegistry/*/read", PULL_ACTION));
        assert!(action_matches("*/read", PULL_ACTION));
        assert!(action_matches("*", PULL_ACTION));
        assert!(action_matches("microsoft.containerregistry/registries/PULL/read", PULL_ACTION));
        assert!(!action_matches("Microsoft.ContainerRegistry/registries/push/write", PULL_ACTION));
        assert!(!action_matches("Microsoft.ContainerRegistry/*/write", PULL_ACTION));
    }

    #[test]
    fn stars_match_runs_without_backtracking_blowup() {
        assert!(action_matches("a*b*c", "aXbYc"));
        assert!(action_matches("a*b*c", "abc"));
        assert!(!action_matches("a*b*c", "acb"));
        assert!(action_matches("*b*", "b"));
        assert!(!action_matches("ab", "abc"));
        assert!(action_matches("**", ""));
        assert!(action_matches("a*a", "aa"));
        assert!(!action_matches("a*a", "a"), "the first and last piece may not share a character");
        // 12 stars took > 20 s with the recursive matcher; 200,000 overflowed its stack.
        let hostile = format!("{}b", "a*".repeat(200_000));
        assert!(!action_matches(&hostile, &"a".repeat(300_000)));
        assert!(action_matches(&format!("{}*", "*".repeat(200_000)), PULL_ACTION));
    }

    /// The former recursive matcher: exponential, but obviously right on small inputs.
    fn reference(p: &[u8], a: &[u8]) -> bool {
        match p.split_first() {
            None => a.is_empty(),
            Some((b'*', rest)) => (0..=a.len()).any(|i| reference(rest, &a[i..])),
            Some((c, rest)) => a.split_first().map(|(d, tail)| c == d && reference(rest, tail)).unwrap_or(false),
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_the_recursive_reference(pattern in "[ab*/]{0,9}", action in "[ab/]{0,10}") {
            proptest::prop_assert_eq!(action_matches(&pattern, &action), reference(pattern.as_bytes(), action.as_bytes()));
        }
    }

    const REG: &str = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr";
    const KUBELET: &str = "11111111-1111-1111-1111-111111111111";
    const GROUP: &str = "22222222-2222-2222-2222-222222222222";

    fn role(guid: &str) -> String {
        format!("/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/{guid}")
    }

    /// A model of one registry in `mode` with `assignments` (principal, principalType, role GUID, condition).
    fn model(mode: Option<&str>, assignments: &[(&str, &str, &str, Option<&str>)], errors: serde_json::Value) -> Model {
        let mut registry = serde_json::json!({"id": REG, "name": "acr", "properties": {}});
        if let Some(m) = mode {
            registry["properties"]["roleAssignmentMode"] = m.into();
        }
        let value: Vec<serde_json::Value> = assignments
            .iter()
            .enumerate()
            .map(|(i, (principal, kind, guid, condition))| {
                let mut p = serde_json::json!({"roleDefinitionId": role(guid), "principalId": principal,
                    "principalType": kind, "scope": REG});
                if let Some(c) = condition {
                    p["condition"] = (*c).into();
                    p["conditionVersion"] = "2.0".into();
                }
                serde_json::json!({"id": format!("{REG}/providers/Microsoft.Authorization/roleAssignments/a{i}"), "properties": p})
            })
            .collect();
        let snapshot = serde_json::json!({
            "schema": "acr-audit/snapshot/v1",
            "resources": {"Microsoft.ContainerRegistry/registries": [registry]},
            "children": {"Microsoft.Authorization/roleAssignments": [{"parentId": REG, "value": value}]},
            "errors": errors,
        });
        let bytes = serde_json::to_vec(&snapshot).unwrap();
        Model::from_snapshot(crate::snapshot::parse_snapshot(&bytes, std::path::Path::new("t.json")).unwrap())
    }

    fn pull(model: &Model) -> RbacFacts {
        rbac_facts(model, REG, Some(KUBELET), PrincipalKind::KubeletIdentity, None)
    }

    const ACR_PULL: &str = "7f951dda-4ed3-4680-a7ca-43fe172d538d";
    const REPO_READER: &str = "b93aa761-3e63-49ed-ac28-beffa264f7ac";
    const OWNER: &str = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    const NO_ERRORS: fn() -> serde_json::Value = || serde_json::json!([]);

    #[test]
    fn abac_mode_honours_only_the_repository_roles() {
        let abac = Some("AbacRepositoryPermissions");
        for (guid, want) in [(ACR_PULL, PullGrant::No), (OWNER, PullGrant::No), (REPO_READER, PullGrant::Yes)] {
            let r = pull(&model(abac, &[(KUBELET, "ServicePrincipal", guid, None)], NO_ERRORS()));
            assert_eq!(r.grants_pull, want, "{guid} in ABAC mode");
            assert_eq!(r.pull_role, "Container Registry Repository Reader");
            assert_eq!(r.role_assignment_mode, Some(RoleAssignmentMode::AbacRepositoryPermissions));
        }
        // Container Registry Repository Writer / Contributor and the data importer grant pulls too.
        for guid in [
            "2a1e307c-b015-4ebd-883e-5b7698a07328",
            "2efddaa5-3f1f-4df3-97df-af3f13818f4c",
            "577a9874-89fd-4f24-9dbd-b5034d0ad23a",
        ] {
            let r = pull(&model(abac, &[(KUBELET, "ServicePrincipal", guid, None)], NO_ERRORS()));
            assert_eq!(r.grants_pull, PullGrant::Yes, "{guid}");
        }
    }

    #[test]
    fn legacy_mode_honours_acrpull_and_the_privileged_roles_not_the_repository_roles() {
        let legacy = Some("LegacyRegistryPermissions");
        for (guid, want) in [(ACR_PULL, PullGrant::Yes), (OWNER, PullGrant::Yes), (REPO_READER, PullGrant::No)] {
            let r = pull(&model(legacy, &[(KUBELET, "ServicePrincipal", guid, None)], NO_ERRORS()));
            assert_eq!(r.grants_pull, want, "{guid} in legacy mode");
            assert_eq!(r.pull_role, "AcrPull");
        }
    }

    #[test]
    fn an_absent_mode_is_the_default_legacy_but_never_a_false_no() {
        let yes = pull(&model(None, &[(KUBELET, "ServicePrincipal", ACR_PULL, None)], NO_ERRORS()));
        assert_eq!(yes.grants_pull, PullGrant::Yes);
        assert_eq!(yes.role_assignment_mode, None);
        // Only an ABAC role: an old snapshot of an ABAC registry would be a false "no pull".
        let reader = pull(&model(None, &[(KUBELET, "ServicePrincipal", REPO_READER, None)], NO_ERRORS()));
        assert_eq!(reader.grants_pull, PullGrant::Unknown);
    }

    #[test]
    fn a_condition_makes_the_grant_conditional_and_keeps_its_text() {
        let condition = "((!(ActionMatches{'Microsoft.ContainerRegistry/registries/repositories/content/read'})) OR (@Request[Microsoft.ContainerRegistry/registries/repositories:name] StringEqualsIgnoreCase 'team-a/app'))";
        let m = model(
            Some("AbacRepositoryPermissions"),
            &[(KUBELET, "ServicePrincipal", REPO_READER, Some(condition))],
            NO_ERRORS(),
        );
        let r = pull(&m);
        assert_eq!(r.grants_pull, PullGrant::Conditional);
        assert_eq!(r.grants[0].condition.as_deref(), Some(condition));
        assert_eq!(r.grants[0].condition_version.as_deref(), Some("2.0"));
        // An unconditioned grant beside it wins.
        let m = model(
            Some("AbacRepositoryPermissions"),
            &[
                (KUBELET, "ServicePrincipal", REPO_READER, Some(condition)),
                (KUBELET, "ServicePrincipal", REPO_READER, None),
            ],
            NO_ERRORS(),
        );
        assert_eq!(pull(&m).grants_pull, PullGrant::Yes);
    }

    #[test]
    fn a_group_holding_pull_is_unknown_not_no() {
        let m = model(None, &[(GROUP, "Group", ACR_PULL, None)], NO_ERRORS());
        let r = pull(&m);
        assert_eq!(r.grants_pull, PullGrant::Unknown);
        assert_eq!(r.group_grants.len(), 1);
        assert_eq!(r.group_grants[0].group, GROUP);
        assert_eq!(r.group_grants[0].role_name.as_deref(), Some("AcrPull"));
        // A group whose role cannot grant pull changes nothing.
        let m = model(Some("AbacRepositoryPermissions"), &[(GROUP, "Group", ACR_PULL, None)], NO_ERRORS());
        let r = pull(&m);
        assert_eq!((r.grants_pull, r.group_grants.len()), (PullGrant::No, 0));
    }

    #[test]
    fn unreadable_assignments_or_definitions_are_unknown() {
        let errors = serde_json::json!([{"scope": REG, "resourceType": "Microsoft.Authorization/roleAssignments",
            "status": 403, "code": "AuthorizationFailed", "message": "denied"}]);
        let r = pull(&model(None, &[], errors));
        assert_eq!((r.grants_pull, r.assignments_readable), (PullGrant::Unknown, false));
        let custom = "99999999-9999-9999-9999-999999999999";
        let r = pull(&model(None, &[(KUBELET, "ServicePrincipal", custom, None)], NO_ERRORS()));
        assert_eq!(r.grants_pull, PullGrant::Unknown);
        assert_eq!(r.unknown_definitions, vec![role(custom)]);
        let r = pull(&model(None, &[], NO_ERRORS()));
        assert_eq!(r.grants_pull, PullGrant::No, "read and empty is a real no");
    }

    #[test]
    fn not_actions_subtract_within_their_block() {
        let def: RoleDefinition = serde_json::from_str(
            r#"{"id":"/r","properties":{"permissions":[{"actions":["Microsoft.ContainerRegistry/*/read"],"notActions":["Microsoft.ContainerRegistry/registries/pull/read"]}]}}"#,
        )
        .unwrap();
        assert!(!definition_grants(&def, PULL_ACTION));
        let custom: RoleDefinition = serde_json::from_str(
            r#"{"id":"/r","properties":{"permissions":[{"actions":["Microsoft.ContainerRegistry/*/read"],"notActions":["Microsoft.ContainerRegistry/registries/delete"]}]}}"#,
        )
        .unwrap();
        assert!(definition_grants(&custom, PULL_ACTION));
        let data: RoleDefinition = serde_json::from_str(
            r#"{"id":"/r","properties":{"permissions":[{"actions":[],"dataActions":["Microsoft.ContainerRegistry/registries/*"]}]}}"#,
        )
        .unwrap();
        assert!(definition_grants(&data, PULL_ACTION));
    }
}
