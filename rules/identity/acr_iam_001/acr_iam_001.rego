# METADATA
# title: Kubelet identity cannot pull from the registry
# description: |
#   ## What it does
#   For each AKS cluster and registry it pulls from, resolves the kubelet identity's role assignments at the
#   registry and above (resource group, subscription, management group) and flags the pair when no assigned
#   role grants `Microsoft.ContainerRegistry/registries/pull/read` (wildcards and `notActions` included).
#
#   ## Why is this bad?
#   Nodes authenticate to the registry as the kubelet identity: without a pull grant every image pull fails
#   with `401 Unauthorized` and pods stay in `ImagePullBackOff`.
#
#   ## Fix
#   Attach the registry to the cluster (assigns AcrPull to the kubelet identity), or assign AcrPull yourself.
# related_resources:
#   - https://learn.microsoft.com/azure/aks/cluster-container-registry-integration
#   - https://learn.microsoft.com/troubleshoot/azure/azure-kubernetes/connectivity/cannot-pull-image-from-acr-to-aks-cluster
# custom:
#   id: ACR-IAM-001
#   severity: high
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#     - "ImagePullBackOff"
#     - "ErrImagePull"
#   remediation:
#     - az aks update --name {client_name} --resource-group {client_resource_group} --attach-acr {registry_id}
#     - az role assignment create --assignee-object-id {principal_id} --assignee-principal-type ServicePrincipal --role AcrPull --scope {registry_id}
package acr_audit.identity.acr_iam_001

import rego.v1

deny contains finding if {
	some pair in input.pairs
	pair.rbac.principal_kind == "kubelet_identity"
	pair.rbac.grants_pull == "no"
	finding := {
		"msg": sprintf(
			"Kubelet identity %s of %s holds no role granting pull on registry %s (roles held there: %s)",
			[pair.rbac.principal_id, pair.client_name, pair.registry_name, roles(pair.rbac)],
		),
		"resource": pair.registry,
		"registry": pair.registry,
		"client": pair.client,
		"params": {"principal_id": pair.rbac.principal_id},
		"evidence": {"principal_id": pair.rbac.principal_id, "grants": pair.rbac.grants},
	}
}

roles(rbac) := "none" if count(rbac.grants) == 0

roles(rbac) := concat(", ", [object.get(g, "role_name", g.role_definition) | some g in rbac.grants]) if count(rbac.grants) > 0
