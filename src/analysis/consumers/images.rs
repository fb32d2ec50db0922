//! The registry host an image reference names.
//!
//! Docker's reference grammar (`[domain/]path[:tag][@digest]`, distribution/reference `normalize.go`
//! `splitDockerDomain`): the part before the first `/` is a registry host only when it contains `.` or `:` or is
//! `localhost`; otherwise the reference is a Docker Hub repository (`nginx`, `library/nginx`, `repo/app:v4`)
//! and names no registry of the snapshot. App Service writes the image as `DOCKER|<image>` in
//! `linuxFxVersion` / `windowsFxVersion`; the prefix is stripped. Hosts are compared lower-case (DNS names are
//! case-insensitive).

/// The App Service prefix of a container image in `linuxFxVersion` / `windowsFxVersion`.
const DOCKER_PREFIX: &str = "DOCKER|";

/// The image of a `DOCKER|<image>` fx version, when it is one (the prefix in any case, the image trimmed).
pub(crate) fn docker_fx_image(fx_version: &str) -> Option<&str> {
    let fx = fx_version.trim();
    let head = fx.get(..DOCKER_PREFIX.len())?;
    head.eq_ignore_ascii_case(DOCKER_PREFIX).then(|| fx[DOCKER_PREFIX.len()..].trim())
}

/// The registry host of an image reference (lower-case), or `None` for a Docker Hub reference or an empty one.
/// A leading `DOCKER|` is stripped.
pub(crate) fn registry_host(image: &str) -> Option<String> {
    let image = docker_fx_image(image).unwrap_or(image).trim();
    let (first, _) = image.split_once('/')?;
    let is_host = first.contains('.') || first.contains(':') || first == "localhost";
    (is_host && !first.is_empty()).then(|| first.to_ascii_lowercase())
}

/// A login server as a consumer names it, normalised for comparison: trimmed, lower-case, without a scheme or a
/// trailing `/` (`https://myacr.azurecr.io/` names `myacr.azurecr.io`). `None` when empty.
pub(crate) fn normalise_server(server: &str) -> Option<String> {
    let s = server.trim();
    let s = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://")).unwrap_or(s);
    let s = s.trim_end_matches('/');
    (!s.is_empty()).then(|| s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_component_is_a_host_only_with_a_dot_a_colon_or_localhost() {
        assert_eq!(registry_host("contosoacr.azurecr.io/web/app:1.2").as_deref(), Some("contosoacr.azurecr.io"));
        assert_eq!(registry_host("ContosoACR.AzureCR.io/app@sha256:abc").as_deref(), Some("contosoacr.azurecr.io"));
        assert_eq!(registry_host("myregistry.local:5000/app").as_deref(), Some("myregistry.local:5000"));
        assert_eq!(registry_host("localhost/app").as_deref(), Some("localhost"));
        // Docker Hub: no slash, or a first component that is a namespace (the Container Apps example's
        // `repo/testcontainerApp0:v4`).
        assert_eq!(registry_host("nginx"), None);
        assert_eq!(registry_host("nginx:1.27"), None);
        assert_eq!(registry_host("repo/testcontainerApp0:v4"), None);
        assert_eq!(registry_host("library/nginx"), None);
        assert_eq!(registry_host(""), None);
        assert_eq!(registry_host("/app"), None);
    }

    #[test]
    fn app_service_fx_versions_lose_their_docker_prefix() {
        assert_eq!(docker_fx_image("DOCKER|contosoacr.azurecr.io/app:v1"), Some("contosoacr.azurecr.io/app:v1"));
        assert_eq!(docker_fx_image("docker|nginx"), Some("nginx"));
        assert_eq!(docker_fx_image("NODE|20-lts"), None);
        assert_eq!(docker_fx_image(""), None);
        assert_eq!(docker_fx_image("DOCK"), None);
        assert_eq!(registry_host("DOCKER|contosoacr.azurecr.io/app:v1").as_deref(), Some("contosoacr.azurecr.io"));
        assert_eq!(
            registry_host("DOCKER|mcr.microsoft.com/appsvc/staticsite:latest").as_deref(),
            Some("mcr.microsoft.com")
        );
    }

    #[test]
    fn login_servers_are_compared_lower_case_without_scheme() {
        assert_eq!(normalise_server(" https://ContosoAcr.azurecr.io/ ").as_deref(), Some("contosoacr.azurecr.io"));
        assert_eq!(normalise_server("contosoacr.azurecr.io").as_deref(), Some("contosoacr.azurecr.io"));
        assert_eq!(normalise_server(""), None);
    }
}
