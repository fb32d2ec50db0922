# METADATA
# title: Pulling identity cannot pull from the registry
# description: |
#   ## What it does
#   For each client and registry it pulls from, resolves the role assignments of the identity that pulls (an
#   AKS cluster's kubelet identity; the managed identity an App Service, container app or container group
#   signs in to the registry with) at the registry and above (resource group, subscription, management group) and flags the pair when no assigned
#   role grants a pull in the registry's role assignment mode (wildcards and `notActions` included):
#   `Microsoft.ContainerRegistry/registries/pull/read` in `LegacyRegistryPermissions` mode (ARM's default), the
#   data action `Microsoft.ContainerRegistry/registries/repositories/content/read` in
#   `AbacRepositoryPermissions` mode, where AcrPull, AcrPush and the privileged roles (Owner, Contributor,
#   Reader) are not honoured. Silent when pulls are `conditional` (an ABAC condition admits some repositories)
#   or `unknown` (assignments or a definition unreadable, or a group that may contain the identity holds pull:
#   see ACR-IAM-004).
#
#   ## Why is this bad?
#   Nodes authenticate to the registry as the kubelet identity, and App Service, Container Apps and Container
#   Instances as the managed identity they are set to pull with: without a pull grant every image pull fails
#   with `401 Unauthorized` (pods stay in `ImagePullBackOff`; apps do not start).
#
#   ## Fix
#   Assign the role the registry's mode honours (the first command fills it in): AcrPull in
#   `LegacyRegistryPermissions` mode (`az aks update --attach-acr` assigns that one), Container Registry
#   Repository Reader in `AbacRepositoryPermissions` mode.
# related_resources:
#   - https://learn.microsoft.com/azure/aks/cluster-container-registry-integration
#   - https://learn.microsoft.com/azure/container-registry/container-registry-rbac-abac-repository-permissions
#   - https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/cannot-pull-image-from-acr-to-aks-cluster
#   - https://learn.microsoft.com/azure/app-service/configure-custom-container#use-managed-identity-to-pull-an-image-from-azure-container-registry
#   - https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull
# custom:
#   id: ACR-IAM-001
#   severity: high
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#     - "ImagePullBackOff"
#     - "ErrImagePull"
#   remediation:
#     - az role assignment create --assignee-object-id {principal_id} --assignee-principal-type ServicePrincipal --role {pull_role} --scope {registry_id}
#   remediation_by_kind:
#     aks:
#       - az role assignment create --assignee-object-id {principal_id} --assignee-principal-type ServicePrincipal --role {pull_role} --scope {registry_id}
#       - az aks update --name {client_name} --resource-group {client_resource_group} --attach-acr {registry_id}
package acr_audit.identity.acr_iam_001

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	pair.rbac.principal_kind in {"kubelet_identity", "managed_identity"}
	pair.rbac.grants_pull == "no"
	finding := {
		"msg": sprintf(
			"%s %s of %s holds no role granting pull on registry %s, whose role assignment mode is %s%s (roles held there: %s): assign %s",
			[identity_noun(pair.rbac.principal_kind), pair.rbac.principal_id, pair.client_name, pair.registry_name, mode(pair.rbac), honoured(pair.rbac), roles(pair.rbac), object.get(pair.rbac, "pull_role", "AcrPull")],
		),
		"resource": pair.registry,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": client_kind(pair.client),
		"params": {"principal_id": pair.rbac.principal_id, "pull_role": object.get(pair.rbac, "pull_role", "AcrPull")},
		"evidence": {
			"principal_id": pair.rbac.principal_id,
			"role_assignment_mode": object.get(pair.rbac, "role_assignment_mode", null),
			"grants": pair.rbac.grants,
		},
	}
}

# The client's kind picks the fix; a pair whose client is not in the facts is a cluster's (hand-written input).
client_kind(id) := h.client_by_id(id).kind

client_kind(id) := "aks" if not h.client_by_id(id)

identity_noun("kubelet_identity") := "Kubelet identity"

identity_noun("managed_identity") := "Managed identity"

# The mode as ARM spells it; absent (a snapshot read before api-version 2025-11-01) is ARM's default.
mode(rbac) := m if {
	m := object.get(rbac, "role_assignment_mode", null)
	m != null
}

mode(rbac) := "LegacyRegistryPermissions (ARM's default)" if object.get(rbac, "role_assignment_mode", null) == null

honoured(rbac) := ", which honours only the ABAC-enabled Container Registry Repository roles, not AcrPull, AcrPush or Owner/Contributor/Reader" if {
	object.get(rbac, "role_assignment_mode", null) == "AbacRepositoryPermissions"
}

honoured(rbac) := "" if object.get(rbac, "role_assignment_mode", null) != "AbacRepositoryPermissions"

roles(rbac) := "none" if count(rbac.grants) == 0

roles(rbac) := concat(", ", [object.get(g, "role_name", g.role_definition) | some g in rbac.grants]) if count(rbac.grants) > 0
