//! ARM resource ids: the case-insensitive key they are compared by, and the parts reports and fixes need.

/// The key under which a resource id is indexed: ARM ids are case-insensitive, so compare them lower-cased.
pub fn id_key(id: &str) -> String {
    id.trim_end_matches('/').to_ascii_lowercase()
}

/// The parts of an ARM resource id that remediation commands and reports need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResourceIdParts {
    /// The subscription GUID, when the id has one.
    pub subscription: Option<String>,
    /// The resource group, when the id has one.
    pub resource_group: Option<String>,
    /// The last name segment (the resource's own name).
    pub name: Option<String>,
}

/// Split an ARM resource id into subscription, resource group and name. Lenient: missing parts are `None`.
pub fn parse_resource_id(id: &str) -> ResourceIdParts {
    let segments: Vec<&str> = id.split('/').filter(|s| !s.is_empty()).collect();
    let mut parts = ResourceIdParts::default();
    let mut i = 0;
    while i + 1 < segments.len() {
        match segments[i].to_ascii_lowercase().as_str() {
            "subscriptions" if parts.subscription.is_none() => parts.subscription = Some(segments[i + 1].to_string()),
            "resourcegroups" if parts.resource_group.is_none() => {
                parts.resource_group = Some(segments[i + 1].to_string())
            }
            _ => {}
        }
        i += 1;
    }
    if segments.len() >= 2 {
        parts.name = segments.last().map(|s| s.to_string());
    }
    parts
}

/// The parent VNet id of a subnet id (`.../virtualNetworks/v/subnets/s` -> `.../virtualNetworks/v`), lower-cased.
pub fn vnet_key_of_subnet(subnet_id: &str) -> Option<String> {
    let key = id_key(subnet_id);
    let pos = key.rfind("/subnets/")?;
    Some(key[..pos].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_resource_group_and_name() {
        let p = parse_resource_id(
            "/subscriptions/0000/resourceGroups/rg-hub/providers/Microsoft.ContainerRegistry/registries/contoso",
        );
        assert_eq!(p.subscription.as_deref(), Some("0000"));
        assert_eq!(p.resource_group.as_deref(), Some("rg-hub"));
        assert_eq!(p.name.as_deref(), Some("contoso"));
    }

    #[test]
    fn subnet_parent_is_case_insensitive() {
        assert_eq!(
            vnet_key_of_subnet(
                "/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Hub/subnets/PE"
            )
            .as_deref(),
            Some("/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/hub")
        );
        assert_eq!(vnet_key_of_subnet("/not/a/subnet"), None);
    }
}
