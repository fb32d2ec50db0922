package acr_audit.firewall.acr_fw_001_test

import data.acr_audit.firewall.acr_fw_001 as check
import rego.v1

fw(verdict, rule) := {
	"firewall": "/s/fw/afw-hub", "name": "afw-hub", "policy": "/s/p/afwp-hub", "policy_chain": ["/s/p/afwp-hub"],
	"verdict": verdict, "partial": false, "fqdn": "contoso.azurecr.io", "port": 443, "sources": ["10.10.0.0/22"],
	"deciding_rule": rule, "route": "/rt/default",
}

path(f, blocked_at) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
	"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"}, "azure_firewall": f, "blocked_at": blocked_at,
}

deny_rule := {
	"policy": "/s/p/afwp-base", "rule_collection_group": "baseline", "group_priority": 100, "collection": "deny-all",
	"collection_priority": 300, "rule": "no-acr", "kind": "application", "action": "Deny",
}

test_no_rule_matched_names_the_default_deny_and_the_firewall_policy if {
	res := check.deny with input as {"paths": [path(fw("deny", null), "azure_firewall")]}
	count(res) == 1
	some f in res
	contains(f.msg, "no rule matched")
	f.resource == "/s/p/afwp-hub"
	f.params.rcg == "DefaultApplicationRuleCollectionGroup"
}

test_a_denying_rule_is_named_and_the_fix_goes_to_its_policy_before_it if {
	res := check.deny with input as {"paths": [path(fw("deny", deny_rule), "azure_firewall")]}
	some f in res
	contains(f.msg, "rule no-acr in collection deny-all (priority 300) of rule collection group baseline")
	f.resource == "/s/p/afwp-base"
	f.params.priority == 290
}

test_silent_when_allowed_or_unknown if {
	check.deny == set() with input as {"paths": [path(fw("allow", null), null), path(fw("unknown", null), null)]}
}

test_silent_when_an_earlier_hop_blocks if {
	check.deny == set() with input as {"paths": [path(fw("deny", null), "nsg")]}
}

test_silent_without_a_firewall if {
	check.deny == set() with input as {"paths": [path(null, null)]}
}

test_no_rule_matched_puts_the_fix_in_the_policy_s_first_group if {
	f0 := object.union(fw("deny", null), {"rule_collection_groups": ["rcg-aks-egress", "rcg-late"]})
	res := check.deny with input as {"paths": [path(f0, "azure_firewall")]}
	some f in res
	f.params.rcg == "rcg-aks-egress"
}
