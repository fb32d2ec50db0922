# METADATA
# title: Registry admin user enabled
# description: |
#   ## What it does
#   Flags a registry whose admin user is enabled.
#
#   ## Why is this bad?
#   The admin user is one shared credential. Image pull secrets built from it go stale when its password is
#   regenerated, and every cluster using them starts failing with 401 at once; access cannot be scoped or
#   audited per client.
#
#   ## Fix
#   Pull with managed identities (`az aks update --attach-acr`) or repository-scoped tokens, then disable the
#   admin user.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account
# custom:
#   id: ACR-REG-007
#   severity: low
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#     - "unauthorized: authentication required"
#   remediation:
#     - az acr update --name {registry_name} --admin-enabled false
package acr_audit.registry.acr_reg_007

import rego.v1

deny contains finding if {
	some reg in input.registries
	reg.admin_user_enabled
	finding := {
		"msg": sprintf("Registry %s has the admin user enabled: shared credentials in pull secrets go stale on regeneration", [reg.name]),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {"admin_user_enabled": true},
	}
}
