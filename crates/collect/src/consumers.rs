//! Workloads that pull from a registry besides AKS (issue #12): App Service and Functions sites, whose
//! `config/web` says which image a container site runs and how it signs in, and each registry's ACR Tasks and
//! dedicated agent pools. Container Apps, their managed environments and container groups need no read beyond
//! their subscription lists, so they are plain lists of the table (`plan::plain_lists_of`).
//!
//! - Sites: `GET /subscriptions/{s}/providers/Microsoft.Web/sites`, then `GET {site}/config/web` for each
//!   container site only ([`is_container_site`]); the one object it returns is kept as a one-item child
//!   collection under the site id. A refused or failed read is an error at the site id with type
//!   `Microsoft.Web/sites/config`, so analysis says `unknown` for that site rather than "no image".
//! - Registries: `GET {registry}/tasks` for every registry and `GET {registry}/agentPools` for Premium ones
//!   (agent pools are a Premium feature: <https://learn.microsoft.com/azure/container-registry/tasks-agent-pools>),
//!   both at the preview api-version of the table (`2019-06-01-preview`: the stable tasks api-version
//!   `2019-04-01` has no `agentPoolName`, and agent pools exist only in preview versions).
//!
//! App settings (`POST {site}/config/appsettings/list`) are never read: the operation is an action
//! (`Microsoft.Web/sites/config/list/action`) that Reader's `*/read` does not grant, and it returns secrets
//! (registry passwords, connection strings). The legacy `WEBSITE_PULL_IMAGE_OVER_VNET` setting is therefore not
//! seen; the site's `outboundVnetRouting.imagePullTraffic` and `vnetImagePullEnabled` are.
//!
//! Every id that becomes a request path here comes from ARM data and is checked first ([`is_resource_id`]); one
//! that is not an id of the expected type is an error naming it, with no request sent.

use super::arm::ArmFailure;
use super::assemble::{id_of, Part};
use super::plan::{ChildJob, Ctx};
use super::refs::is_resource_id;
use acr_audit_snapshot::{ChildType, CHILDREN, TYPES};
use futures::future::join_all;
use serde_json::Value;

/// The prefix of `linuxFxVersion` / `windowsFxVersion` on a custom-container site (`DOCKER|<image>`), as
/// `az webapp config container set` writes it
/// (<https://learn.microsoft.com/azure/app-service/configure-custom-container>).
const DOCKER_FX: &str = "DOCKER|";

/// Tokens of a site's comma-separated `kind` that mark a container site, from App Service's kind reference
/// (<https://github.com/Azure/app-service-linux-docs/blob/master/Things_You_Should_Know/kind_property.md>):
/// `app,linux,container` (Linux container web app), `app,container,windows` and `hyperV` (Windows container
/// web app), `app,linux,container,kubernetes` and `functionapp,linux,container,kubernetes` (Arc).
const CONTAINER_KIND_TOKENS: [&str; 2] = ["container", "hyperV"];

/// Whether a listed site runs a custom container, so its `config/web` is worth one request.
///
/// Either signal is enough, because neither is reliable alone: `kind` is a portal hint that the portal and CLI
/// set at creation but that ARM templates and direct API calls must set by hand (the kind reference above says
/// so), and the list's `siteConfig` is mostly unfilled (the published `ListWebApps` example, 2025-05-01, has
/// `"linuxFxVersion": ""`). A site whose list entry shows neither (a container site created from a template
/// without a `kind`, listed without its `siteConfig`) is not read; `docs/collect.md` says so.
pub(crate) fn is_container_site(site: &Value) -> bool {
    let kind = site.get("kind").and_then(Value::as_str).unwrap_or("");
    let by_kind =
        kind.split(',').map(str::trim).any(|t| CONTAINER_KIND_TOKENS.iter().any(|c| t.eq_ignore_ascii_case(c)));
    let by_fx = ["/properties/siteConfig/linuxFxVersion", "/properties/siteConfig/windowsFxVersion"].iter().any(|p| {
        site.pointer(p)
            .and_then(Value::as_str)
            .and_then(|v| v.trim_start().get(..DOCKER_FX.len()))
            .map(|prefix| prefix.eq_ignore_ascii_case(DOCKER_FX))
            .unwrap_or(false)
    });
    by_kind || by_fx
}

/// The error of a parent id that is not an id of its type: no request is sent for it.
fn invalid(child: &ChildType, parent_type: &str) -> ArmFailure {
    let message = format!("{} not read: the parent is not a {parent_type} id", child.key);
    ArmFailure::new(None, Some("InvalidResourceReference"), &message)
}

impl Ctx<'_> {
    /// Sites, then at once the `config/web` of every container site.
    pub(crate) async fn sites(&self) -> Part {
        let mut part = Part::default();
        let sites = self.list_branch(&TYPES.web_sites, &mut part).await;
        let child = CHILDREN.site_configs;
        let reads = join_all(sites.iter().filter(|s| is_container_site(s)).map(|s| {
            let (arm, id) = (self.arm.clone(), id_of(s).to_string());
            async move {
                if !is_resource_id(&id, "Microsoft.Web", "sites") {
                    return (id, Err(invalid(&child, TYPES.web_sites.key)));
                }
                let r = arm.get(&format!("{id}/{}", child.path), child.api_version).await;
                (id, r)
            }
        }))
        .await;
        for (id, result) in reads {
            match result {
                Ok(config) => part.child(child.key, id, vec![config]),
                Err(f) => part.error(&id, child.key, f),
            }
        }
        part.add(TYPES.web_sites.key, sites);
        part
    }

    /// The task list of a registry and, when it is Premium, its agent pool list: jobs for the registries
    /// branch, each answering with the registry's id (an error there when the list fails or the id is not a
    /// registry id).
    pub(crate) fn registry_task_jobs(&self, registry_id: &str, premium: bool) -> Vec<ChildJob<'_>> {
        let mut children = vec![CHILDREN.registry_tasks];
        if premium {
            children.push(CHILDREN.agent_pools);
        }
        let valid = is_resource_id(registry_id, "Microsoft.ContainerRegistry", "registries");
        children
            .into_iter()
            .map(|child| {
                let (arm, id) = (self.arm.clone(), registry_id.to_string());
                let job: ChildJob<'_> = Box::pin(async move {
                    if !valid {
                        return (child.key, id, Err(invalid(&child, TYPES.registries.key)));
                    }
                    let r = arm.list(&format!("{id}/{}", child.path), child.api_version).await;
                    (child.key, id, r)
                });
                job
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn site(kind: Option<&str>, linux_fx: &str, windows_fx: Option<&str>) -> Value {
        let mut s = json!({"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Web/sites/a",
            "properties": {"siteConfig": {"linuxFxVersion": linux_fx}}});
        if let Some(k) = kind {
            s["kind"] = json!(k);
        }
        if let Some(w) = windows_fx {
            s["properties"]["siteConfig"]["windowsFxVersion"] = json!(w);
        }
        s
    }

    /// The kind values of App Service's kind reference that are container apps, and `DOCKER|` images in the
    /// list's site configuration, mark a container site; code apps (as `ListWebApps` 2025-05-01 lists them,
    /// `kind: app`, `linuxFxVersion: ""`), Linux code stacks and Functions code apps do not.
    #[test]
    fn container_sites_are_told_by_kind_or_by_a_docker_image() {
        for kind in [
            "app,linux,container",
            "app,container,windows",
            "hyperV",
            "app,linux,container,kubernetes",
            "functionapp,linux,container,kubernetes",
            "functionapp,linux,container",
            "App, Linux, Container",
        ] {
            assert!(is_container_site(&site(Some(kind), "", None)), "{kind}");
        }
        assert!(is_container_site(&site(Some("app"), "DOCKER|acr.azurecr.io/app:1", None)));
        assert!(is_container_site(&site(None, "docker|nginx", None)));
        assert!(is_container_site(&site(Some("app"), "", Some("DOCKER|acr.azurecr.io/win:1"))));
        for (kind, fx) in [
            (Some("app"), ""),
            (Some("app,linux"), "PYTHON|3.12"),
            (Some("functionapp,linux"), "DOTNET-ISOLATED|8.0"),
            (Some("functionapp"), ""),
            (None, ""),
            (Some("app,linux"), "DOCKER"),
        ] {
            assert!(!is_container_site(&site(kind, fx, None)), "{kind:?} {fx}");
        }
        assert!(!is_container_site(&json!({"id": "x", "kind": 7, "properties": {"siteConfig": null}})));
    }
}
