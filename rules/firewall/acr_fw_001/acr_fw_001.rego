# METADATA
# title: Azure Firewall on the path denies an endpoint the pull needs
# description: |
#   ## What it does
#   For each client path whose route sends registry traffic to an Azure Firewall in the snapshot, evaluates
#   the firewall's rules the way Azure Firewall does (rule collection groups and collections by priority,
#   parent policy first, network rules before application rules, first match decides, no match is deny) for
#   TCP 443 from the client's addresses to the endpoint (login server, data endpoint or storage), and flags
#   the path when the firewall is the first hop that blocks it.
#
#   ## Why is this bad?
#   The firewall drops the connection (or answers it with its own deny page): `docker login` and pulls time
#   out or fail with a TLS error, and layer downloads stop when only the login server is allowed. Nothing in
#   the registry's own settings shows it.
#
#   ## Fix
#   Add an application rule collection allowing `Https:443` from the client's addresses to the denied FQDN
#   (the login server, `<registry>.<region>.data.azurecr.io`, or `*.blob.core.windows.net` without
#   dedicated data endpoints), at a priority that comes before the denying rule; for a deny inherited from a
#   base policy, the fix belongs in the base policy.
# related_resources:
#   - https://learn.microsoft.com/azure/firewall/rule-processing
#   - https://learn.microsoft.com/azure/container-registry/container-registry-firewall-access-rules
#   - https://learn.microsoft.com/azure/aks/limit-egress-traffic
# custom:
#   id: ACR-FW-001
#   severity: high
#   symptoms:
#     - "Action: Deny. Reason: No rule matched. Proceeding with default action"
#     - "dial tcp <ip>:443: i/o timeout"
#     - "Get \"https://<registry>.azurecr.io/v2/\": net/http: request canceled while waiting for connection"
#   remediation:
#     - az network firewall policy rule-collection-group collection add-filter-collection --resource-group {resource_resource_group} --policy-name {resource_name} --rcg-name {rcg} --name AllowAcrPull --collection-priority {priority} --action Allow --rule-name allow-acr-pull --rule-type ApplicationRule --protocols Https=443 --source-addresses {source} --target-fqdns {fqdn}
package acr_audit.firewall.acr_fw_001

import rego.v1

deny contains finding if {
	some path in input.paths
	fw := path.azure_firewall
	fw.verdict == "deny"
	path.blocked_at == "azure_firewall"
	finding := {
		"msg": sprintf(
			"Azure Firewall %s (%s) denies TCP %d from %s (%s) to %s, the %s endpoint of registry %s: %s%s",
			[fw.name, policy_text(fw), fw.port, path.client_name, concat(", ", fw.sources), fw.fqdn, path.endpoint.kind, path.registry_name, rule_text(fw), partial_text(fw)],
		),
		"resource": fix_target(fw),
		"registry": path.registry,
		"client": path.client,
		"params": {
			"rcg": rcg(fw),
			"priority": priority(fw),
			"source": source(fw),
			"fqdn": fw.fqdn,
		},
		"evidence": {
			"firewall": fw.firewall,
			"policy": fw.policy,
			"policy_chain": fw.policy_chain,
			"fqdn": fw.fqdn,
			"port": fw.port,
			"deciding_rule": fw.deciding_rule,
			"partial": fw.partial,
			"route": fw.route,
		},
	}
}

policy_text(fw) := sprintf("policy %s", [last(fw.policy)]) if fw.policy != null

policy_text(fw) := "classic rules, no policy" if fw.policy == null

rule_text(fw) := sprintf(
	"%s rule %s in collection %s (priority %d)%s denies it",
	[fw.deciding_rule.kind, fw.deciding_rule.rule, fw.deciding_rule.collection, fw.deciding_rule.collection_priority, group_text(fw.deciding_rule)],
) if fw.deciding_rule != null

rule_text(fw) := "no rule matched, and Azure Firewall denies what no rule allows" if fw.deciding_rule == null

group_text(rule) := sprintf(" of rule collection group %s, policy %s", [rule.rule_collection_group, last(rule.policy)]) if rule.policy != null

group_text(rule) := "" if rule.policy == null

partial_text(fw) := " (part of the flows)" if fw.partial

partial_text(fw) := "" if not fw.partial

last(id) := parts[count(parts) - 1] if parts := split(id, "/")

# The fix goes into the policy that defines the denying rule (a base policy's deny cannot be overridden below
# it), else into the firewall's own policy; a firewall with classic rules is named itself.
fix_target(fw) := fw.deciding_rule.policy if {
	fw.deciding_rule != null
	fw.deciding_rule.policy != null
} else := fw.policy if {
	fw.policy != null
} else := fw.firewall

# The denying rule's group; when no rule matched, any group of the firewall's policy (the first) will do.
rcg(fw) := fw.deciding_rule.rule_collection_group if {
	fw.deciding_rule != null
	fw.deciding_rule.rule_collection_group != null
} else := fw.rule_collection_groups[0] if {
	count(object.get(fw, "rule_collection_groups", [])) > 0
} else := "DefaultApplicationRuleCollectionGroup"

# Before the denying collection when one denies; any free priority otherwise.
priority(fw) := max([fw.deciding_rule.collection_priority - 10, 100]) if fw.deciding_rule != null

priority(fw) := 1000 if fw.deciding_rule == null

source(fw) := fw.sources[0] if count(fw.sources) == 1

source(fw) := "*" if count(fw.sources) != 1
