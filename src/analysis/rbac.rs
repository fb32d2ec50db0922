//! Whether a principal can pull from a registry: role assignments read at the registry scope (they include
//! those inherited from resource group, subscription and management group), role definitions resolved, and
//! Azure's action matching: `*` wildcards, case-insensitive, `notActions` subtracted within their block.

use super::facts::{Grant, PrincipalKind, RbacFacts, Tristate};
use crate::model::{id_key, Model, RoleDefinition};

/// The data/control action that lets a principal pull.
pub const PULL_ACTION: &str = "Microsoft.ContainerRegistry/registries/pull/read";

/// Built-in roles, for assignments whose definition the snapshot lacks: (GUID, name, actions, notActions).
const BUILTIN_ROLES: &[(&str, &str, &[&str], &[&str])] = &[
    ("7f951dda-4ed3-4680-a7ca-43fe172d538d", "AcrPull", &["Microsoft.ContainerRegistry/registries/pull/read"], &[]),
    (
        "8311e382-0749-4cb8-b61a-304f252e45ec",
        "AcrPush",
        &["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"],
        &[],
    ),
    ("8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "Owner", &["*"], &[]),
    (
        "b24988ac-6180-42a0-ab88-20f7382dd24c",
        "Contributor",
        &["*"],
        &[
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete",
        ],
    ),
    ("acdd72a7-3385-48ef-bd42-f606fba81ae7", "Reader", &["*/read"], &[]),
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

fn grants(actions: &[String], not_actions: &[String], action: &str) -> bool {
    actions.iter().any(|p| action_matches(p, action)) && !not_actions.iter().any(|p| action_matches(p, action))
}

/// Whether a role definition grants `action` (control or data plane).
pub fn definition_grants(def: &RoleDefinition, action: &str) -> bool {
    def.properties.permissions.iter().any(|perm| {
        grants(&perm.actions, &perm.not_actions, action) || grants(&perm.data_actions, &perm.not_data_actions, action)
    })
}

fn role_definition<'m>(model: &'m Model, id: &str) -> Option<&'m RoleDefinition> {
    model.role_definition(id).or_else(|| {
        let guid = id.rsplit('/').next()?.to_ascii_lowercase();
        model.role_definitions.iter().find(|d| d.name.eq_ignore_ascii_case(&guid))
    })
}

/// Does `role_definition_id` grant pull? `None` when the definition is neither in the snapshot nor built in.
fn role_grants_pull(model: &Model, role_definition_id: &str) -> (Option<bool>, Option<String>) {
    if let Some(def) = role_definition(model, role_definition_id) {
        return (Some(definition_grants(def, PULL_ACTION)), def.properties.role_name.clone());
    }
    let guid = role_definition_id.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    match BUILTIN_ROLES.iter().find(|(g, ..)| *g == guid) {
        Some((_, name, actions, not_actions)) => {
            let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            (Some(grants(&owned(actions), &owned(not_actions), PULL_ACTION)), Some(name.to_string()))
        }
        None => (None, None),
    }
}

/// RBAC facts for a principal against a registry; `node` is (node resource group, kubelet identity resource id).
pub fn rbac_facts(
    model: &Model,
    registry_id: &str,
    principal_id: Option<&str>,
    principal_kind: PrincipalKind,
    node: Option<(&str, &str)>,
) -> RbacFacts {
    let assignments = model.role_assignments(registry_id);
    let unread = model.unread(registry_id, "Microsoft.Authorization/roleAssignments");
    let readable = assignments.is_some() && !unread;
    let mut grants = Vec::new();
    let mut pull_principals: Vec<String> = Vec::new();
    for a in assignments.unwrap_or(&[]) {
        let (pull, role_name) = role_grants_pull(model, &a.properties.role_definition_id);
        if pull == Some(true) && !pull_principals.contains(&a.properties.principal_id) {
            pull_principals.push(a.properties.principal_id.clone());
        }
        if principal_id.map(|p| p.eq_ignore_ascii_case(&a.properties.principal_id)).unwrap_or(false) {
            grants.push(Grant {
                assignment: a.id.clone(),
                role_definition: a.properties.role_definition_id.clone(),
                role_name,
                scope: a.properties.scope.clone(),
                grants_pull: pull,
            });
        }
    }
    let grants_pull = if !readable || principal_id.is_none() {
        Tristate::Unknown
    } else if grants.iter().any(|g| g.grants_pull == Some(true)) {
        Tristate::Yes
    } else if grants.iter().any(|g| g.grants_pull.is_none()) {
        Tristate::Unknown
    } else {
        Tristate::No
    };
    let (identity_on_node_vmss, node_vmss) = match node {
        Some((node_rg, identity_id)) => vmss_has_identity(model, node_rg, identity_id),
        None => (Tristate::Unknown, vec![]),
    };
    RbacFacts {
        principal_id: principal_id.map(str::to_string),
        principal_kind,
        assignments_readable: readable,
        grants,
        grants_pull,
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
