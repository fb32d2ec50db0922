# METADATA
# title: ACR task cannot reach its network-restricted registry
# description: |
#   ## What it does
#   For each ACR task that runs on the shared ACR Tasks agents (no `agentPoolName`, or an agent pool with no
#   subnet), reads the verdict of its registry's network rules on the run (`pairs[_].public_pull`, computed in
#   Rust). A network-restricted registry (public network access disabled, or selected networks only) admits
#   such a run only through `networkRuleBypassAllowedForTasks`: since 1 June 2025 ACR Tasks are no longer a
#   trusted service, so `networkRuleBypassOptions: AzureServices` alone does not let them in. Fires when the
#   setting is `false` and the task signs in with its system-assigned identity (or has none). Silent when the
#   registry does not say (read before api-version 2025-11-01), when the task uses only a user-assigned
#   identity (Microsoft states there is no impact for those), and when an IP rule could admit the agents'
#   addresses. A task on an agent pool in a subnet gets full path analysis instead (the network rules).
#
#   ## Why is this bad?
#   Builds, `acr purge` and other scheduled runs fail with `403 Forbidden` on the registry they belong to.
#
#   ## Fix
#   Allow tasks to bypass the network rules, or run the task on an agent pool in a subnet that reaches the
#   registry (Premium).
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/manage-network-bypass-policy-for-tasks
#   - https://learn.microsoft.com/azure/container-registry/tasks-agent-pools
#   - https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services
# custom:
#   id: ACR-USE-003
#   severity: high
#   symptoms:
#     - "403 Forbidden"
#   remediation:
#     - az resource update --namespace Microsoft.ContainerRegistry --resource-type registries --name {registry_name} --resource-group {registry_resource_group} --api-version 2025-06-01-preview --set properties.networkRuleBypassAllowedForTasks=true
#     - az acr agentpool create --registry {registry_name} --name <pool> --tier S2 --subnet-id <subnet-id>
#     - az acr task update --registry {registry_name} --name {client_name} --agent-pool <pool>
package acr_audit.consumers.acr_use_003

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some pair in input.pairs
	pull := object.get(pair, "public_pull", null)
	pull != null
	pull.verdict == "blocked"
	client := h.client_by_id(pair.client)
	client.kind == "task"
	finding := {
		"msg": sprintf(
			"ACR task %s of registry %s runs on the shared ACR Tasks agents (%s), and the registry refuses them: %s. Runs fail with 403",
			[pair.client_name, pair.registry_name, object.get(client, "pull_network_reason", "no agent pool"), pull.reason],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": "task",
		"evidence": {
			"pull_network_reason": object.get(client, "pull_network_reason", null),
			"public_pull": pull,
		},
	}
}
