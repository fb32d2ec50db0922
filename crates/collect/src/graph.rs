//! The Azure Resource Graph inventory: every subscription-listed type of the resource-type table, read with one
//! query per batch of subscriptions instead of one ARM list per type per subscription, and turned back into
//! the ARM JSON the ARM lists return, so the snapshot does not depend on the collector.
//!
//! The request (`POST {arm}/providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01`, spec
//! `specification/resourcegraph/resource-manager/Microsoft.ResourceGraph/stable/2024-04-01/resourcegraph.json`):
//! `{"subscriptions": [...], "query": "...", "options": {"$top": 1000, "$skipToken": "...", "resultFormat":
//! "objectArray"}}`; the answer `{"totalRecords", "count", "resultTruncated": "true"|"false", "$skipToken"?,
//! "data": [...]}`. Every subscription-listed type is in the `resources` table
//! (<https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources>).
//! The query is [`inventory_query`]: `resources | where type in~ ('…', …) | order by id asc` (no `project`, so
//! every column comes back; no `limit`/`take`, which disables paging). Reading it needs no more than Reader: the
//! query returns only what the identity may read
//! (<https://learn.microsoft.com/azure/governance/resource-graph/overview#permissions-in-azure-resource-graph>).
//!
//! Complete or an error, never a silent part
//! (<https://learn.microsoft.com/azure/governance/resource-graph/concepts/paging-results>): pages are followed
//! while a `$skipToken` comes back; `resultTruncated: "true"` without one, a repeated token, more than
//! `--max-pages` pages, or a failed request fail the whole batch, and every subscription of the batch gets an
//! error for every type, so those types are unread there, never absent. Resource Graph drops a subscription the
//! identity cannot read without an error, so each batch is also probed in `resourcecontainers`: a subscription
//! the probe does not return is an error for every type as well.
//!
//! Role assignments at registries come from `authorizationresources` ([`Assignments`]): one query per batch of
//! the subscriptions holding registries, with `authorizationScopeFilter: AtScopeAboveAndBelow`, attributed to
//! each registry by scope and the subscription's management-group chain (from the probe), the set ARM's
//! `$filter=atScope()` returns there. Role definitions stay ARM reads by id (docs/collect.md says why). Throttling (quota headers, 429) is the
//! transport's (`transport`).

use super::arm::{Arm, ArmFailure};
use acr_audit_snapshot::ids::parse_resource_id;
use acr_audit_snapshot::CHILDREN;
use futures::future::join_all;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The query API's path.
pub(crate) const PATH: &str = "/providers/Microsoft.ResourceGraph/resources";
/// The current stable api-version of the query API.
pub(crate) const API_VERSION: &str = "2024-04-01";
/// Subscriptions per query. Learn: "The group size is recommended to be less than 300"
/// (<https://learn.microsoft.com/azure/governance/resource-graph/concepts/guidance-for-throttled-requests#grouping-queries>).
pub(crate) const BATCH: usize = 300;
/// Rows per page: the query API's maximum (`$top` 1..1000 in the spec).
const TOP: u32 = 1000;
/// The coverage probe: the subscriptions of the batch Resource Graph can read.
/// It also returns each subscription's management-group chain (`properties.managementGroupAncestorsChain`: an
/// array of `{name, displayName}`, immediate parent first, the tenant root group last), which attributes
/// role assignments at management groups to the registries below them ([`Assignments`]).
pub(crate) const PROBE: &str = "resourcecontainers | where type =~ 'microsoft.resources/subscriptions' | project id, subscriptionId, managementGroupAncestorsChain = properties.managementGroupAncestorsChain | order by id asc";
/// The role-assignment query (`authorizationresources`, the table that holds role assignments:
/// <https://learn.microsoft.com/azure/governance/resource-graph/reference/supported-tables-resources#authorizationresources>).
pub(crate) const ASSIGNMENTS: &str =
    "authorizationresources | where type =~ 'microsoft.authorization/roleassignments' | order by id asc";
/// `options.authorizationScopeFilter` of the role-assignment query: "AtScopeAboveAndBelow: Returns assignments
/// for the given scope, all parent scopes, and all child scopes" (the default, `AtScopeAndBelow`, would leave
/// out the assignments at management groups and the root above the subscriptions); needs api-version
/// 2021-06-01-preview or later
/// (<https://learn.microsoft.com/azure/governance/resource-graph/concepts/query-language>).
pub(crate) const SCOPE_FILTER: &str = "AtScopeAboveAndBelow";
/// Columns Resource Graph adds to a row that an ARM body does not have.
const ADDED_COLUMNS: [&str; 3] = ["subscriptionId", "resourceGroup", "tenantId"];
/// Envelope columns Resource Graph returns as `null` or `""` where ARM omits the field.
const OPTIONAL_COLUMNS: [&str; 9] =
    ["kind", "managedBy", "sku", "plan", "identity", "zones", "extendedLocation", "tags", "location"];

/// The inventory query for table type keys (their ARM spelling; Resource Graph compares `type` in lower case).
pub(crate) fn inventory_query(types: &[&str]) -> String {
    let list: Vec<String> = types.iter().map(|t| format!("'{}'", t.to_ascii_lowercase())).collect();
    format!("resources | where type in~ ({}) | order by id asc", list.join(", "))
}

/// One Resource Graph row as the ARM body of type `key`: `type` in the table key's spelling (Resource Graph
/// lower-cases it), the added columns removed, `null`/`""` envelope columns dropped, `properties.extended`
/// (Resource Graph's extended properties, not part of the ARM body) removed.
pub(crate) fn to_arm(mut row: Map<String, Value>, key: &str) -> Value {
    for c in ADDED_COLUMNS {
        row.remove(c);
    }
    for c in OPTIONAL_COLUMNS {
        if matches!(row.get(c), Some(Value::Null)) || row.get(c).and_then(Value::as_str) == Some("") {
            row.remove(c);
        }
    }
    if let Some(Value::Object(p)) = row.get_mut("properties") {
        p.remove("extended");
    }
    row.insert("type".into(), Value::String(key.to_string()));
    Value::Object(row)
}

/// Run one query over `subscriptions` to its last page: every row, or the reason it is incomplete.
/// `scope_filter` is the role-assignment query's `authorizationScopeFilter` ([`SCOPE_FILTER`]).
async fn run(
    arm: &Arm,
    subscriptions: &[String],
    query: &str,
    scope_filter: Option<&str>,
) -> Result<Vec<Value>, ArmFailure> {
    let mut rows = Vec::new();
    let mut token: Option<String> = None;
    let mut seen: HashSet<String> = HashSet::new();
    let mut pages = 0usize;
    loop {
        let mut options = json!({"$top": TOP, "resultFormat": "objectArray"});
        if let Some(t) = &token {
            options["$skipToken"] = json!(t);
        }
        if let Some(f) = scope_filter {
            options["authorizationScopeFilter"] = json!(f);
        }
        let body = json!({"subscriptions": subscriptions, "query": query, "options": options});
        let answer = arm.post(PATH, API_VERSION, &body, token.is_some()).await?;
        pages += 1;
        let data = answer.get("data").and_then(Value::as_array).ok_or_else(|| {
            ArmFailure::new(None, Some("InvalidResponse"), "the Resource Graph answer has no `data` array")
        })?;
        rows.extend(data.iter().cloned());
        // A string in the spec ("true"/"false"); a boolean is read the same way.
        let truncated = match answer.get("resultTruncated") {
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            Some(Value::Bool(b)) => *b,
            _ => false,
        };
        match answer.get("$skipToken").and_then(Value::as_str).filter(|t| !t.is_empty()) {
            Some(next) => {
                if !seen.insert(next.to_string()) {
                    return Err(ArmFailure::new(
                        None,
                        Some("SkipTokenLoop"),
                        "Resource Graph returned a $skipToken it had already returned; the result is incomplete",
                    ));
                }
                if pages >= arm.max_pages() {
                    return Err(ArmFailure::new(
                        None,
                        Some("TooManyPages"),
                        &format!(
                            "the query did not end within {pages} pages (--max-pages); not followed further, so the result is incomplete"
                        ),
                    ));
                }
                token = Some(next.to_string());
            }
            None if truncated => {
                return Err(ArmFailure::new(
                    None,
                    Some("ResultTruncated"),
                    "Resource Graph truncated the result (resultTruncated: true, no $skipToken); not used",
                ))
            }
            None => return Ok(rows),
        }
    }
}

/// What Resource Graph held for one subscription: rows by type key, or why they are unread.
type Holding = Result<BTreeMap<&'static str, Vec<Value>>, ArmFailure>;

/// The subscription-listed types of some subscriptions, as ARM bodies, from Resource Graph.
#[derive(Default)]
pub(crate) struct Inventory {
    /// Lower-cased subscription id → what was read there.
    subscriptions: HashMap<String, Holding>,
    /// Lower-cased subscription id → its management groups (lower-cased names), immediate parent first, for
    /// every subscription the probe returned.
    chains: HashMap<String, Vec<String>>,
}

impl Inventory {
    /// Query `types` (table keys) in `subscriptions`, [`BATCH`] at a time, all batches at once (the concurrency
    /// gate bounds them). Within a batch the probe goes first and the query after it: a query never races a
    /// response that says the quota is spent (one batch's requests are sequential).
    pub(crate) async fn read(arm: &Arm, subscriptions: &[String], types: &[&'static str]) -> Inventory {
        let query = inventory_query(types);
        let batches = join_all(subscriptions.chunks(BATCH).map(|batch| {
            let query = query.as_str();
            async move {
                let probe = run(arm, batch, PROBE, None).await;
                let rows = match &probe {
                    Ok(_) => run(arm, batch, query, None).await,
                    // The batch is unread either way; the query would only spend quota.
                    Err(f) => Err(f.clone()),
                };
                (batch, probe, rows)
            }
        }))
        .await;
        let mut inventory = Inventory::default();
        for (batch, probe, rows) in batches {
            inventory.keep(batch, types, probe, rows);
        }
        inventory
    }

    /// File one batch's answers under its subscriptions.
    fn keep(
        &mut self,
        batch: &[String],
        types: &[&'static str],
        probe: Result<Vec<Value>, ArmFailure>,
        rows: Result<Vec<Value>, ArmFailure>,
    ) {
        let (probe, rows) = match (probe, rows) {
            (Ok(p), Ok(r)) => (p, r),
            (Err(f), _) | (_, Err(f)) => {
                for s in batch {
                    self.subscriptions.insert(s.to_ascii_lowercase(), Err(f.clone()));
                }
                return;
            }
        };
        let covered: HashSet<String> = probe
            .iter()
            .filter_map(|r| r.get("subscriptionId").and_then(Value::as_str))
            .map(str::to_ascii_lowercase)
            .collect();
        let by_lower: HashMap<String, &'static str> = types.iter().map(|t| (t.to_ascii_lowercase(), *t)).collect();
        for r in &probe {
            let Some(s) = r.get("subscriptionId").and_then(Value::as_str) else { continue };
            let chain = r
                .get("managementGroupAncestorsChain")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|g| g.get("name").and_then(Value::as_str))
                .map(str::to_ascii_lowercase)
                .collect();
            self.chains.insert(s.to_ascii_lowercase(), chain);
        }
        let mut held: HashMap<String, BTreeMap<&'static str, Vec<Value>>> = HashMap::new();
        for s in batch {
            let s = s.to_ascii_lowercase();
            if covered.contains(&s) {
                held.insert(s, types.iter().map(|t| (*t, Vec::new())).collect());
            } else {
                let message = "Azure Resource Graph does not return this subscription (the identity cannot read it, \
                               or it is not enabled): its resources are unread";
                self.subscriptions
                    .insert(s, Err(ArmFailure::new(None, Some("SubscriptionNotInResourceGraph"), message)));
            }
        }
        let mut seen: HashSet<String> = HashSet::new();
        for row in rows {
            let Value::Object(row) = row else { continue };
            let id = row.get("id").and_then(Value::as_str).unwrap_or("").to_string();
            // Pages of a changing estate can repeat a row (paging-results): keep the first.
            if id.is_empty() || !seen.insert(id.to_ascii_lowercase()) {
                continue;
            }
            let kind = row.get("type").and_then(Value::as_str).map(str::to_ascii_lowercase).unwrap_or_default();
            let Some(key) = by_lower.get(&kind).copied() else { continue };
            // The id decides the subscription, as it does for an ARM list; the `subscriptionId` column is dropped.
            let sub = parse_resource_id(&id).subscription.unwrap_or_default().to_ascii_lowercase();
            if let Some(types) = held.get_mut(&sub) {
                types.entry(key).or_default().push(to_arm(row, key));
            }
        }
        for (s, types) in held {
            self.subscriptions.insert(s, Ok(types));
        }
    }

    /// Whether subscription `s` was queried (read, or an error).
    pub(crate) fn holds(&self, s: &str) -> bool {
        self.subscriptions.contains_key(&s.to_ascii_lowercase())
    }

    /// Whether subscription `s` was read completely (probe and inventory), so its management-group chain is
    /// known and its role assignments can come from Resource Graph.
    pub(crate) fn readable(&self, s: &str) -> bool {
        matches!(self.subscriptions.get(&s.to_ascii_lowercase()), Some(Ok(_)))
    }

    /// The role assignments that apply at the registries of `subscriptions` (readable ones; others are left
    /// out): one [`ASSIGNMENTS`] query per [`BATCH`] of them, all batches at once, paged to the end.
    pub(crate) async fn assignments(&self, arm: &Arm, subscriptions: &[String]) -> Assignments {
        let wanted: Vec<String> = subscriptions.iter().filter(|s| self.readable(s)).cloned().collect();
        let batches = join_all(
            wanted
                .chunks(BATCH)
                .map(|batch| async move { (batch, run(arm, batch, ASSIGNMENTS, Some(SCOPE_FILTER)).await) }),
        )
        .await;
        let mut out = Assignments::default();
        for (batch, rows) in batches {
            out.keep(batch, rows, &self.chains);
        }
        out
    }

    /// What was read for type `key` in subscription `s`: `None` when the subscription was not queried.
    pub(crate) fn items(&self, s: &str, key: &str) -> Option<Result<Vec<Value>, ArmFailure>> {
        self.subscriptions.get(&s.to_ascii_lowercase()).map(|held| match held {
            Ok(types) => Ok(types.get(key).cloned().unwrap_or_default()),
            Err(f) => Err(f.clone()),
        })
    }
}

/// A scope as a map key: lower case, no trailing `/` (the root scope `/` stays `/`).
fn scope_key(scope: &str) -> String {
    let s = scope.trim().trim_end_matches('/').to_ascii_lowercase();
    if s.is_empty() {
        "/".into()
    } else {
        s
    }
}

/// Role assignments read from Resource Graph, attributed to registries the way ARM's `$filter=atScope()` at a
/// registry answers: the assignments at the registry or above it
/// (<https://learn.microsoft.com/rest/api/authorization/role-assignments/list-for-scope>). With
/// `subscriptions` as the query's scope and `AtScopeAboveAndBelow`, Resource Graph returns every assignment at,
/// below or above the batch's subscriptions; which of them apply at one registry is decided here, by scope:
/// the registry itself, its resource group, its subscription, the root `/`, and the management groups of its
/// subscription's chain (from the probe). Nothing else: an assignment on another resource, another resource
/// group, or a management group the subscription is not under does not apply.
#[derive(Default)]
pub(crate) struct Assignments {
    /// Lower-cased scope → the assignments at it, as ARM bodies.
    by_scope: HashMap<String, Vec<Value>>,
    /// Lower-cased subscription id → its management-group chain, or why its assignments are unread.
    subscriptions: HashMap<String, Result<Vec<String>, ArmFailure>>,
    /// Lower-cased assignment ids kept (an assignment above several batches comes back in each).
    seen: HashSet<String>,
}

impl Assignments {
    /// File one batch's answer.
    fn keep(&mut self, batch: &[String], rows: Result<Vec<Value>, ArmFailure>, chains: &HashMap<String, Vec<String>>) {
        let rows = match rows {
            Ok(rows) => rows,
            Err(f) => {
                for s in batch {
                    self.subscriptions.insert(s.to_ascii_lowercase(), Err(f.clone()));
                }
                return;
            }
        };
        for s in batch {
            let s = s.to_ascii_lowercase();
            let chain = chains.get(&s).cloned().unwrap_or_default();
            self.subscriptions.insert(s, Ok(chain));
        }
        for row in rows {
            let Value::Object(row) = row else { continue };
            let id = row.get("id").and_then(Value::as_str).unwrap_or("").to_ascii_lowercase();
            let Some(scope) = row.get("properties").and_then(|p| p.get("scope")).and_then(Value::as_str).map(scope_key)
            else {
                continue;
            };
            if id.is_empty() || !self.seen.insert(id) {
                continue;
            }
            self.by_scope.entry(scope).or_default().push(to_arm(row, CHILDREN.role_assignments.key));
        }
    }

    /// The assignments that apply at `registry` (an ARM id): `None` when its subscription was not queried
    /// (the caller reads them through ARM), an error when the query for it failed (unknown, never "none").
    pub(crate) fn at(&self, registry: &str) -> Option<Result<Vec<Value>, ArmFailure>> {
        let parts = parse_resource_id(registry);
        let sub = parts.subscription?.to_ascii_lowercase();
        let chain = match self.subscriptions.get(&sub)? {
            Ok(chain) => chain,
            Err(f) => return Some(Err(f.clone())),
        };
        let mut scopes = vec![scope_key(registry), format!("/subscriptions/{sub}"), "/".to_string()];
        if let Some(rg) = parts.resource_group {
            scopes.push(format!("/subscriptions/{sub}/resourcegroups/{}", rg.to_ascii_lowercase()));
        }
        scopes.extend(chain.iter().map(|g| format!("/providers/microsoft.management/managementgroups/{g}")));
        let mut out = Vec::new();
        for s in scopes {
            out.extend(self.by_scope.get(&s).into_iter().flatten().cloned());
        }
        Some(Ok(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "cfbbd179-59d2-4052-aa06-9270a38aa9d6";

    fn failure(code: &str) -> ArmFailure {
        ArmFailure::new(Some(400), Some(code), "bad")
    }

    #[test]
    fn the_query_lists_the_types_in_lower_case_in_id_order() {
        let q = inventory_query(&["Microsoft.ContainerRegistry/registries", "Microsoft.Network/privateDnsZones"]);
        assert_eq!(
            q,
            "resources | where type in~ ('microsoft.containerregistry/registries', 'microsoft.network/privatednszones') | order by id asc"
        );
    }

    /// A row shaped like the spec's examples (lower-case type, added columns, extended properties) becomes the
    /// ARM body.
    #[test]
    fn a_row_becomes_the_arm_body() {
        let row = json!({
            "id": format!("/subscriptions/{SUB}/resourceGroups/RG1/providers/Microsoft.ContainerRegistry/registries/acr1"),
            "name": "acr1", "type": "microsoft.containerregistry/registries", "location": "eastus",
            "subscriptionId": SUB, "resourceGroup": "rg1", "tenantId": "t", "kind": "", "managedBy": "",
            "plan": null, "tags": null, "sku": {"name": "Premium"},
            "properties": {"loginServer": "acr1.azurecr.io", "extended": {"x": 1}}
        });
        let Value::Object(row) = row else { unreachable!() };
        let arm = to_arm(row, "Microsoft.ContainerRegistry/registries");
        assert_eq!(
            arm,
            json!({
                "id": format!("/subscriptions/{SUB}/resourceGroups/RG1/providers/Microsoft.ContainerRegistry/registries/acr1"),
                "name": "acr1", "type": "Microsoft.ContainerRegistry/registries", "location": "eastus",
                "sku": {"name": "Premium"}, "properties": {"loginServer": "acr1.azurecr.io"}
            })
        );
    }

    /// Rows go to their subscription; a subscription the probe does not return, and every subscription of a
    /// failed batch, is an error for every type, never an empty list.
    #[test]
    fn rows_are_filed_by_subscription_and_gaps_are_errors() {
        let other = "00000000-0000-0000-0000-000000000001";
        let hidden = "00000000-0000-0000-0000-000000000002";
        let types = ["Microsoft.Network/virtualNetworks", "Microsoft.Network/privateDnsZones"];
        let vnet = |s: &str, n: &str| {
            json!({"id": format!("/subscriptions/{s}/resourceGroups/r/providers/Microsoft.Network/virtualNetworks/{n}"),
                   "type": "microsoft.network/virtualnetworks", "subscriptionId": s})
        };
        let probe = vec![json!({"subscriptionId": SUB}), json!({"subscriptionId": other.to_uppercase()})];
        let rows = vec![vnet(SUB, "a"), vnet(other, "b"), vnet(SUB, "a"), vnet(hidden, "c")];
        let batch = [SUB.to_string(), other.to_string(), hidden.to_string()];
        let mut inv = Inventory::default();
        inv.keep(&batch, &types, Ok(probe), Ok(rows));
        let names = |s: &str| -> Vec<String> {
            inv.items(s, types[0]).unwrap().unwrap().iter().map(|v| v["id"].as_str().unwrap().to_string()).collect()
        };
        assert_eq!(names(SUB).len(), 1, "a repeated row is kept once");
        assert_eq!(names(other).len(), 1);
        assert_eq!(inv.items(SUB, types[1]).unwrap().unwrap(), Vec::<Value>::new(), "read, and none there");
        assert_eq!(
            inv.items(hidden, types[0]).unwrap().unwrap_err().code.as_deref(),
            Some("SubscriptionNotInResourceGraph")
        );
        assert!(inv.items("ffffffff-0000-0000-0000-000000000000", types[0]).is_none(), "not queried");

        let mut failed = Inventory::default();
        failed.keep(&batch, &types, Ok(vec![]), Err(failure("ResultTruncated")));
        for s in &batch {
            for t in types {
                assert_eq!(failed.items(s, t).unwrap().unwrap_err().code.as_deref(), Some("ResultTruncated"));
            }
        }
    }

    /// Assignments are attributed by whole scope: the registry, its resource group, its subscription, the root
    /// and its subscription's management groups; not a sibling resource group whose name extends the
    /// registry's, nor a group the subscription is not under; a failed batch is an error, an unqueried
    /// subscription `None`.
    #[test]
    fn assignments_apply_at_the_registry_and_above_it_only() {
        let rg = format!("/subscriptions/{SUB}/resourceGroups/RG1");
        let registry = format!("{rg}/providers/Microsoft.ContainerRegistry/registries/acr1");
        let mg = |g: &str| format!("/providers/Microsoft.Management/managementGroups/{g}");
        let scopes = [
            registry.clone(),
            format!("{rg}/"),
            format!("/subscriptions/{SUB}"),
            "/".to_string(),
            mg("Corp"),
            mg("Other"),
            format!("{rg}x"),
            format!("{rg}/providers/Microsoft.ContainerRegistry/registries/acr10"),
        ];
        let rows: Vec<Value> = scopes
            .iter()
            .enumerate()
            .map(|(i, s)| {
                json!({"id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{i}", s.trim_end_matches('/')),
                       "type": "microsoft.authorization/roleassignments", "subscriptionId": SUB, "tenantId": "t",
                       "properties": {"scope": s}})
            })
            .collect();
        let chains = HashMap::from([(SUB.to_string(), vec!["corp".to_string(), "root".to_string()])]);
        let mut a = Assignments::default();
        a.keep(&[SUB.to_uppercase()], Ok(rows), &chains);
        let mut got: Vec<String> = a
            .at(&registry.to_uppercase())
            .unwrap()
            .unwrap()
            .iter()
            .map(|v| v["properties"]["scope"].as_str().unwrap().to_string())
            .collect();
        got.sort();
        let mut want = scopes[..5].to_vec();
        want.sort();
        assert_eq!(got, want);
        let one = &a.at(&registry).unwrap().unwrap()[0];
        assert_eq!(one["type"], "Microsoft.Authorization/roleAssignments");
        assert!(one.get("subscriptionId").is_none() && one.get("tenantId").is_none());
        assert!(a.at("/subscriptions/00000000-0000-0000-0000-000000000009/resourceGroups/r/providers/x/y/z").is_none());

        let mut failed = Assignments::default();
        failed.keep(&[SUB.to_string()], Err(failure("ResultTruncated")), &chains);
        assert_eq!(failed.at(&registry).unwrap().unwrap_err().code.as_deref(), Some("ResultTruncated"));
    }
}
