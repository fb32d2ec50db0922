# METADATA
# title: A consumer's pull cannot be judged from ARM
# description: |
#   ## What it does
#   Lists each App Service or Functions app, container app, container group and ACR task paired with a
#   registry whose pull acr-audit cannot judge from what ARM shows, with the reason: a VNet-integrated site
#   with no image-pull routing flag (the legacy `WEBSITE_PULL_IMAGE_OVER_VNET` app setting may still route the
#   pull through the VNet, and a Reader cannot list app settings); a container app whose environment is not in
#   the snapshot; a public pull whose outbound addresses ARM does not show (App Service Premium V4, container
#   groups, shared ACR Tasks agents) against a registry with IP rules; a task on a registry read before
#   `networkRuleBypassAllowedForTasks` existed.
#
#   ## Why is this bad?
#   It is not bad in itself: it says where the audit stops, so a clean report is not read as "this consumer
#   pulls". Network rules and sign-in are still judged where the facts allow (ACR-USE-001..004, ACR-IAM-001).
#
#   ## Fix
#   Make the setting explicit in ARM (for a site, `outboundVnetRouting.imagePullTraffic`), or check the pull
#   from the consumer itself.
# related_resources:
#   - https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing
#   - https://learn.microsoft.com/azure/app-service/overview-inbound-outbound-ips
#   - https://learn.microsoft.com/azure/container-registry/manage-network-bypass-policy-for-tasks
# custom:
#   id: ACR-USE-005
#   severity: info
#   symptoms:
#     - "403 Forbidden"
#   remediation:
#     - az resource show --ids {client_id}
#   remediation_by_kind:
#     webapp:
#       - az resource update --ids {client_id} --set properties.outboundVnetRouting.imagePullTraffic=true
#     functionapp:
#       - az resource update --ids {client_id} --set properties.outboundVnetRouting.imagePullTraffic=true
package acr_audit.consumers.acr_use_005

import data.acr_audit.lib.helpers as h
import rego.v1

kinds := {"webapp", "functionapp", "containerapp", "containergroup", "task"}

deny contains finding if {
	some pair in input.pairs
	client := h.client_by_id(pair.client)
	client.kind in kinds
	why := unknown_reason(client, pair)
	finding := {
		"msg": sprintf(
			"The pull of %s from registry %s cannot be judged from ARM: %s",
			[pair.client_name, pair.registry_name, why],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": client.kind,
		"evidence": {"pull_network": client.pull_network, "reason": why},
	}
}

unknown_reason(client, _) := object.get(client, "pull_network_reason", "the network it pulls from is unknown") if {
	client.pull_network == "unknown"
}

unknown_reason(client, pair) := pair.public_pull.reason if {
	client.pull_network == "public"
	pair.public_pull.verdict == "unknown"
}
