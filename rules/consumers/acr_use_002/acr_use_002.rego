# METADATA
# title: Consumer is set to pull with a managed identity it does not have
# description: |
#   ## What it does
#   For each consumer paired with a registry whose sign-in entry for that registry uses a managed identity
#   (`pairs[_].login.method == "managed_identity"`), flags an identity that is not on the consumer:
#   `not_enabled` when the system-assigned identity is named (App Service `acrUseManagedIdentityCreds` with no
#   `acrUserManagedIdentityID`, Container Apps `identity: system`) but the resource has none;
#   `not_assigned` when a user-assigned identity is named (App Service by its client id, Container Apps and
#   Container Instances by its resource id) that is not among the resource's `identity.userAssignedIdentities`.
#   Resource ids are compared ignoring case, as ARM spells them both ways.
#
#   ## Why is this bad?
#   The platform asks Microsoft Entra for a token for an identity the resource does not hold: no token, no
#   pull, whatever roles the identity has on the registry.
#
#   ## Fix
#   Assign the identity to the consumer, or point the sign-in entry at an identity it has (and give that
#   identity the registry's pull role).
# related_resources:
#   - https://learn.microsoft.com/azure/app-service/configure-custom-container#use-managed-identity-to-pull-an-image-from-azure-container-registry
#   - https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull
#   - https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi
# custom:
#   id: ACR-USE-002
#   severity: high
#   symptoms:
#     - "401 Unauthorized"
#     - "unauthorized: authentication required"
#   remediation:
#     - az resource show --ids {client_id} --query identity
#   remediation_by_kind:
#     webapp:system:
#       - az webapp identity assign --name {client_name} --resource-group {client_resource_group}
#     webapp:user_assigned:
#       - az webapp identity show --name {client_name} --resource-group {client_resource_group} --query userAssignedIdentities
#       - az webapp config set --name {client_name} --resource-group {client_resource_group} --generic-configurations '{"acrUserManagedIdentityID":"<client id of an assigned identity>"}'
#     functionapp:system:
#       - az functionapp identity assign --name {client_name} --resource-group {client_resource_group}
#     functionapp:user_assigned:
#       - az functionapp identity show --name {client_name} --resource-group {client_resource_group} --query userAssignedIdentities
#       - az functionapp config set --name {client_name} --resource-group {client_resource_group} --generic-configurations '{"acrUserManagedIdentityID":"<client id of an assigned identity>"}'
#     containerapp:system:
#       - az containerapp identity assign --name {client_name} --resource-group {client_resource_group} --system-assigned
#     containerapp:user_assigned:
#       - az containerapp identity assign --name {client_name} --resource-group {client_resource_group} --user-assigned {identity}
#       - az containerapp registry set --name {client_name} --resource-group {client_resource_group} --server {server} --identity {identity}
#     containergroup:
#       - az container create --resource-group {client_resource_group} --name {client_name} --image <image> --assign-identity {identity} --acr-identity {identity}
package acr_audit.consumers.acr_use_002

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	login := object.get(pair, "login", null)
	login != null
	login.method == "managed_identity"
	login.identity_status in {"not_enabled", "not_assigned"}
	client := h.client_by_id(pair.client)
	finding := {
		"msg": sprintf(
			"%s %s signs in to registry %s (%s) with %s, which %s: it gets no token and every pull fails with 401",
			[noun(client.kind), pair.client_name, pair.registry_name, login.source, named(login), missing(login.identity_status)],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": sprintf("%s:%s", [client.kind, variant(login)]),
		"params": {"identity": object.get(login, "identity", ""), "server": login.server},
		"evidence": {"login": login, "identity": object.get(client, "identity", null)},
	}
}

system(login) if lower(object.get(login, "identity", "system")) == "system"

system(login) if object.get(login, "identity", null) == null

variant(login) := "system" if system(login)

variant(login) := "user_assigned" if not system(login)

named(login) := "its system-assigned identity" if system(login)

named(login) := sprintf("the user-assigned identity %s", [login.identity]) if not system(login)

missing("not_enabled") := "is not enabled on it"

missing("not_assigned") := "is not assigned to it"

noun("webapp") := "App Service app"

noun("functionapp") := "Functions app"

noun("containerapp") := "Container app"

noun("containergroup") := "Container group"

noun("task") := "ACR task"

noun(kind) := kind if not kind in {"webapp", "functionapp", "containerapp", "containergroup", "task"}
