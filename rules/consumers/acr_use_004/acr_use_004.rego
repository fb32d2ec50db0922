# METADATA
# title: Consumer signs in with the registry's admin user, which is disabled
# description: |
#   ## What it does
#   For each consumer paired with a registry whose sign-in entry for it is a user name and password
#   (Container Apps `configuration.registries[]`, Container Instances `imageRegistryCredentials[]`) with the
#   registry's name as user name, the registry's admin account, flags a registry whose admin user is
#   disabled. (A token's user name is the token's name; App Service keeps its credentials in app settings,
#   which a Reader cannot list, so it is not judged.)
#
#   ## Why is this bad?
#   Disabling the admin user (as ACR-REG-007 and Azure Policy recommend) revokes its passwords: every pull
#   with them fails with 401 until the consumer moves to another way of signing in.
#
#   ## Fix
#   Sign in with a managed identity that holds the registry's pull role (recommended), or re-enable the admin
#   user.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account
#   - https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull
#   - https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi
# custom:
#   id: ACR-USE-004
#   severity: high
#   symptoms:
#     - "401 Unauthorized"
#     - "unauthorized: authentication required"
#   remediation:
#     - az acr update --name {registry_name} --admin-enabled true
#   remediation_by_kind:
#     containerapp:
#       - az containerapp identity assign --name {client_name} --resource-group {client_resource_group} --system-assigned
#       - az role assignment create --assignee-object-id <principal id> --assignee-principal-type ServicePrincipal --role AcrPull --scope {registry_id}
#       - az containerapp registry set --name {client_name} --resource-group {client_resource_group} --server {server} --identity system
#     containergroup:
#       - az container create --resource-group {client_resource_group} --name {client_name} --image <image> --assign-identity <identity id> --acr-identity <identity id>
package acr_audit.consumers.acr_use_004

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	object.get(pair, "admin_credentials", false) == true
	reg := h.registry_by_id(pair.registry)
	not reg.admin_user_enabled
	client := h.client_by_id(pair.client)
	finding := {
		"msg": sprintf(
			"%s signs in to registry %s as its admin user %s (%s), but the admin user is disabled: every pull fails with 401",
			[pair.client_name, pair.registry_name, pair.login.username, pair.login.source],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": client.kind,
		"params": {"server": pair.login.server},
		"evidence": {"login": pair.login, "admin_user_enabled": false},
	}
}
