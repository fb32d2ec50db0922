# METADATA
# title: Cluster pulls with a service principal the registry's grants may not name
# description: |
#   ## What it does
#   Flags an AKS cluster that authenticates with a service principal (not a managed identity) against a
#   registry whose role assignments could be read, listing the principals that do hold pull there.
#
#   ## Why is this bad?
#   After a credential reset or a cluster re-creation the cluster may run under a new service principal while
#   the AcrPull assignment still names the old one; expired secrets fail the same way. ARM shows the cluster's
#   application id, not its object id, so the match must be checked against Microsoft Entra ID.
#
#   ## Fix
#   Confirm the cluster's service principal is among the principals with pull, or move the cluster to a
#   managed identity and attach the registry.
# related_resources:
#   - https://learn.microsoft.com/azure/aks/update-credentials
#   - https://learn.microsoft.com/azure/aks/use-managed-identity
# custom:
#   id: ACR-IAM-002
#   severity: medium
#   symptoms:
#     - "failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized"
#   remediation:
#     - az ad sp show --id {app_id} --query id --output tsv
#     - az role assignment list --scope {registry_id} --query "[?roleDefinitionName=='AcrPull'].principalId"
#     - az aks update --name {client_name} --resource-group {client_resource_group} --enable-managed-identity
package acr_audit.identity.acr_iam_002

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	pair.rbac.principal_kind == "service_principal"
	pair.rbac.assignments_readable
	client := h.client_by_id(pair.client)
	finding := {
		"msg": sprintf(
			"Cluster %s pulls as service principal %s; pull on registry %s is granted to %s: check the application's object id is among them",
			[pair.client_name, client.service_principal_client_id, pair.registry_name, principals(pair.rbac)],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"params": {"app_id": client.service_principal_client_id},
		"evidence": {"service_principal_client_id": client.service_principal_client_id, "pull_principals": pair.rbac.pull_principals},
	}
}

principals(rbac) := "nobody" if count(rbac.pull_principals) == 0

principals(rbac) := concat(", ", rbac.pull_principals) if count(rbac.pull_principals) > 0
