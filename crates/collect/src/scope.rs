//! Which subscriptions a collection reads: the ones named with `--subscription`, every enabled one the identity
//! sees (`--all-subscriptions`), and every enabled one under the management groups named with
//! `--management-group`, as one union (a subscription named twice is read once).
//!
//! A management group is resolved through ARM's `ManagementGroups_GetDescendants`
//! (`GET /providers/Microsoft.Management/managementGroups/{groupId}/descendants?api-version=2023-04-01`, paged
//! by `nextLink`; Azure/azure-rest-api-specs `specification/managementgroups/resource-manager/
//! Microsoft.Management/stable/2023-04-01/examples/GetDescendants.json`, copied into
//! `tests/corpus/bodies/managementgroups/`). It lists every group and subscription below the group, nested
//! groups included; the subscriptions are the entries of type `Microsoft.Management/managementGroups/subscriptions`,
//! whose `name` is the subscription id. Descendants carry no subscription state, so they are intersected with
//! `GET /subscriptions` and only `state == "Enabled"` ones are kept (a disabled subscription is read-only and
//! holds nothing a client pulls through).
//!
//! A group that cannot be read (403, 404, anything) or under which no enabled subscription is found is a
//! collection error naming the group and the role it needs, never a silent empty scan. Reading a group's
//! descendants needs `Microsoft.Management/managementGroups/descendants/read` on it: Reader or Management Group
//! Reader on the group (<https://learn.microsoft.com/azure/governance/management-groups/overview#management-group-access>).
//!
//! Group ids come from the command line and become request paths, so they are checked first ([`check`]).

use super::arm::{Arm, ArmFailure};
use super::assemble::Part;
use super::{CollectConfig, CollectError};
use futures::future::join_all;
use serde_json::{json, Value};

/// `GET /subscriptions[/{s}]` api-version. Subscriptions are the scope of a collection, not a resource type of
/// the snapshot (they go to `metadata.subscriptions`), so they have no row in the resource-type table.
const SUBSCRIPTIONS_API: &str = "2022-12-01";
/// The `resourceType` of an error reading a subscription (not a table row, see [`SUBSCRIPTIONS_API`]).
const SUBSCRIPTIONS_TYPE: &str = "Microsoft.Resources/subscriptions";
/// `ManagementGroups_GetDescendants` api-version (the default of the .NET management SDK).
const MANAGEMENT_GROUPS_API: &str = "2023-04-01";
/// The `type` of a subscription entry among a group's descendants (groups are `Microsoft.Management/managementGroups`).
const DESCENDANT_SUBSCRIPTION: &str = "Microsoft.Management/managementGroups/subscriptions";
/// The longest management group id Azure accepts.
const MAX_GROUP_ID: usize = 90;
/// What a group needs, for error messages.
const GROUP_ROLE: &str = "Reader or Management Group Reader";

/// Whether `id` can be a management group id sent in a request path: 1 to 90 ASCII letters, digits, `-`, `_`,
/// `.`, `(` and `)`, not ending with a period (Azure's naming rules for management groups), so no slash, query,
/// fragment, escape or dot segment ever reaches a request.
pub(crate) fn is_group_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_GROUP_ID
        && !id.ends_with('.')
        && id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.()".contains(c))
}

/// Refuse a configuration that names nothing to read, or a management group id that cannot be one.
pub(crate) fn check(config: &CollectConfig) -> Result<(), CollectError> {
    if config.subscriptions.is_empty() && !config.all_subscriptions && config.management_groups.is_empty() {
        return Err(CollectError::Config {
            message: "no subscription to read".into(),
            fix: "pass --subscription ID (repeatable), --management-group ID (repeatable) or --all-subscriptions"
                .into(),
        });
    }
    if let Some(bad) = config.management_groups.iter().find(|g| !is_group_id(g)) {
        return Err(CollectError::Config {
            message: format!("`{bad}` is not a management group id"),
            fix: "pass the group's id (its name, e.g. `mg-landingzones` or a GUID), not its display name or a path: \
                  1 to 90 letters, digits, `-`, `_`, `.`, `(`, `)`"
                .into(),
        });
    }
    Ok(())
}

/// The subscriptions to read (as ARM returned them; a bare `{subscriptionId}` for a named one that could not be
/// read) and the part holding this step's errors. A management group that cannot be resolved is an `Err`.
pub(crate) async fn subscriptions(arm: &Arm, config: &CollectConfig) -> Result<(Vec<Value>, Part), CollectError> {
    let mut head = Part::default();
    let mut subscriptions: Vec<Value> = Vec::new();
    // `GET /subscriptions`: all of them for `--all-subscriptions`, and the states groups are checked against.
    let visible = if config.all_subscriptions || !config.management_groups.is_empty() {
        match arm.list("/subscriptions", SUBSCRIPTIONS_API).await {
            Ok(list) => Some(list.into_iter().filter(is_enabled).collect::<Vec<Value>>()),
            Err(f) => {
                if let Some(group) = config.management_groups.first() {
                    return Err(CollectError::ManagementGroup {
                        group: group.clone(),
                        problem: format!(
                            "the subscriptions could not be listed to keep the enabled ones under it: {}",
                            failure(&f)
                        ),
                        fix: "check that the identity can sign in to the tenant and list subscriptions \
                              (`GET /subscriptions`)"
                            .into(),
                    });
                }
                head.error("/subscriptions", SUBSCRIPTIONS_TYPE, f);
                None
            }
        }
    } else {
        None
    };
    let enabled = visible.unwrap_or_default();
    if config.all_subscriptions {
        subscriptions.extend(enabled.iter().cloned());
    }
    // Every group at once; the first that fails (in the order given) is the error.
    let resolved = join_all(config.management_groups.iter().map(|g| group_subscriptions(arm, g))).await;
    for (group, under) in config.management_groups.iter().zip(resolved) {
        let under = under?;
        let found: Vec<&Value> = enabled.iter().filter(|s| under.iter().any(|u| same(u, sub_id(s)))).collect();
        if found.is_empty() {
            return Err(CollectError::ManagementGroup {
                group: group.clone(),
                problem: format!(
                    "none of the {} subscription(s) under it is enabled and visible to the identity",
                    under.len()
                ),
                fix: format!(
                    "check the group id, and that the identity has {GROUP_ROLE} on the group (the role is \
                     inherited by its subscriptions)"
                ),
            });
        }
        subscriptions.extend(found.into_iter().cloned());
    }
    let gets = join_all(config.subscriptions.iter().map(|s| {
        let arm = arm.clone();
        async move { (s.clone(), arm.get(&format!("/subscriptions/{s}"), SUBSCRIPTIONS_API).await) }
    }))
    .await;
    for (s, result) in gets {
        match result {
            Ok(v) => subscriptions.push(v),
            Err(f) => {
                subscriptions.push(json!({"subscriptionId": s}));
                head.error(&format!("/subscriptions/{s}"), SUBSCRIPTIONS_TYPE, f);
            }
        }
    }
    // One entry per subscription, first occurrence kept (a subscription both named and under a group).
    let mut seen: Vec<String> = Vec::new();
    subscriptions.retain(|s| {
        let id = sub_id(s).to_ascii_lowercase();
        if id.is_empty() || seen.contains(&id) {
            return id.is_empty();
        }
        seen.push(id);
        true
    });
    Ok((subscriptions, head))
}

/// The subscription ids below `group`, nested groups included, from its descendants list.
async fn group_subscriptions(arm: &Arm, group: &str) -> Result<Vec<String>, CollectError> {
    let path = format!("/providers/Microsoft.Management/managementGroups/{group}/descendants");
    match arm.list(&path, MANAGEMENT_GROUPS_API).await {
        Ok(entries) => Ok(subscriptions_of(&entries)),
        Err(f) => Err(CollectError::ManagementGroup {
            group: group.to_string(),
            problem: format!("its descendants could not be read: {}", failure(&f)),
            fix: format!(
                "grant the identity {GROUP_ROLE} on the management group `{group}` (it needs \
                 Microsoft.Management/managementGroups/descendants/read), or check the group id"
            ),
        }),
    }
}

/// The subscription ids among descendants entries: the `name` of each entry of type
/// `Microsoft.Management/managementGroups/subscriptions` (the last segment of its `/subscriptions/{id}` id when
/// it has no name).
fn subscriptions_of(entries: &[Value]) -> Vec<String> {
    entries
        .iter()
        .filter(|e| {
            e.get("type").and_then(Value::as_str).is_some_and(|t| t.eq_ignore_ascii_case(DESCENDANT_SUBSCRIPTION))
        })
        .filter_map(|e| {
            e.get("name")
                .and_then(Value::as_str)
                .or_else(|| e.get("id").and_then(Value::as_str).and_then(|id| id.rsplit('/').next()))
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        })
        .collect()
}

fn sub_id(s: &Value) -> &str {
    s.get("subscriptionId").and_then(Value::as_str).unwrap_or("")
}

fn is_enabled(s: &Value) -> bool {
    s.get("state").and_then(Value::as_str) == Some("Enabled")
}

fn same(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// `403 AuthorizationFailed: message`, from what ARM said.
fn failure(f: &ArmFailure) -> String {
    let status = f.status.map(|s| format!("{s} ")).unwrap_or_default();
    let code = f.code.as_deref().map(|c| format!("{c}: ")).unwrap_or_default();
    format!("{status}{code}{}", f.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published `GetDescendants` example (tests/corpus): one nested group and one subscription.
    const EXAMPLE: &str = include_str!("../../../tests/corpus/bodies/managementgroups/2023-04-01/GetDescendants.json");

    #[test]
    fn the_published_descendants_example_names_its_one_subscription() {
        let body: Value = serde_json::from_str(EXAMPLE).unwrap();
        let entries = body["value"].as_array().unwrap();
        assert_eq!(subscriptions_of(entries), vec!["20000000-0004-0000-0000-000000000000"]);
    }

    #[test]
    fn group_ids_that_are_not_path_segments_are_refused() {
        for good in ["mg-landingzones", "20000000-0000-0000-0000-000000000000", "Corp_(EU).2", &"a".repeat(90)] {
            assert!(is_group_id(good), "{good}");
        }
        for bad in ["", ".", "..", "a.", "a/b", "../x", "a?b=1", "a#b", "a%2Fb", "a b", "grüppe", &"a".repeat(91)] {
            assert!(!is_group_id(bad), "{bad}");
        }
    }

    #[test]
    fn a_scope_needs_something_to_read_and_valid_groups() {
        let none = CollectConfig::default();
        assert!(check(&none).is_err());
        let group = CollectConfig { management_groups: vec!["mg-corp".into()], ..CollectConfig::default() };
        assert!(check(&group).is_ok());
        let bad = CollectConfig { management_groups: vec!["mg/../x".into()], ..CollectConfig::default() };
        assert!(check(&bad).unwrap_err().to_string().contains("mg/../x"));
    }
}
