# METADATA
# title: NSG allows only part of a registry or storage service tag
# description: |
#   ## What it does
#   For each client path whose destination is a service tag (`Storage.<region>` or
#   `AzureContainerRegistry.<region>`), flags the NSG that allows some of the tag's ranges and denies the rest
#   (typically single IPs or CIDRs copied from a lookup instead of the tag).
#
#   ## Why is this bad?
#   Azure serves the endpoint from any range of the tag and changes them over time: pulls work until a request
#   lands on a denied range, then time out. Intermittent failures are the hardest to diagnose.
#
#   ## Fix
#   Allow the service tag itself instead of its ranges.
# related_resources:
#   - https://learn.microsoft.com/azure/virtual-network/service-tags-overview
# custom:
#   id: ACR-NET-007
#   severity: medium
#   symptoms:
#     - "dial tcp <storage-endpoint-ip>:443: i/o timeout"
#     - "intermittent ImagePullBackOff"
#   remediation:
#     - az network nsg rule create --resource-group {resource_resource_group} --nsg-name {resource_name} --name Allow{tag_rule_name} --priority {priority} --direction Outbound --access Allow --protocol Tcp --destination-port-ranges 443 --destination-address-prefixes {service_tag}
package acr_audit.network.acr_net_007

import rego.v1

deny contains finding if {
	some path in input.paths
	path.destination.kind == "service_tag"
	not path.nsg.uncertain
	some evaluation in path.nsg.evaluations
	evaluation.verdict == "partial"
	allows := [r | some r in evaluation.deciding_rules; r.access == "Allow"]
	finding := {
		"msg": sprintf(
			"NSG %s allows only part of %s for %s (%d addresses denied, e.g. %s): requests landing there time out",
			[evaluation.name, path.destination.service_tag, path.client_name, evaluation.denied_addresses, concat(", ", evaluation.denied_examples)],
		),
		"resource": evaluation.nsg,
		"registry": path.registry,
		"client": path.client,
		"params": {
			"service_tag": path.destination.service_tag,
			"tag_rule_name": replace(path.destination.service_tag, ".", ""),
			"priority": max([min([r.priority | some r in allows]) - 10, 100]),
		},
		"evidence": {"allowed_by": [r.name | some r in allows], "denied_examples": evaluation.denied_examples, "endpoint": path.endpoint.fqdn},
	}
}
