package acr_audit.meta.acr_meta_001_test

import data.acr_audit.meta.acr_meta_001 as check
import rego.v1

test_one_finding_per_error if {
	errors := [
		{"scope": "/subscriptions/s", "resourceType": "Microsoft.Network/privateDnsZones", "status": 403, "code": "AuthorizationFailed", "message": "denied"},
		{"scope": "/subscriptions/s/r", "resourceType": "Microsoft.Authorization/roleAssignments", "status": 429, "message": "throttled"},
	]
	count(check.deny) == 2 with input as {"errors": errors}
}

test_silent_without_errors if {
	check.deny == set() with input as {"errors": []}
}

test_names_the_permission_a_role_assignment_read_needs if {
	errors := [{"scope": "/subscriptions/s/r", "resourceType": "Microsoft.Authorization/roleAssignments", "status": 403, "code": "AuthorizationFailed", "message": "denied"}]
	some f in check.deny with input as {"errors": errors}
	contains(f.msg, "needs Microsoft.Authorization/roleAssignments/read")
	contains(f.msg, "unknown, not denied")
}

test_other_types_need_their_read_action if {
	errors := [{"scope": "/subscriptions/s", "resourceType": "Microsoft.Network/privateDnsZones", "status": 403, "message": "denied"}]
	some f in check.deny with input as {"errors": errors}
	contains(f.msg, "needs Microsoft.Network/privateDnsZones/read")
}

test_names_the_zone_and_the_permission if {
	zone := "/subscriptions/hub/resourceGroups/rg-dns/providers/Microsoft.Network/privateDnsZones/privatelink.azurecr.io"
	errors := [{"scope": zone, "resourceType": "Microsoft.Network/privateDnsZones", "status": 403, "code": "AuthorizationFailed", "message": "denied"}]
	some f in check.deny with input as {"errors": errors}
	f.resource == zone
	contains(f.msg, zone)
	contains(f.msg, "Microsoft.Network/privateDnsZones/read")
}

test_names_a_permission_arm_spells_differently if {
	errors := [{"scope": "/subscriptions/s/r", "resourceType": "Microsoft.ContainerRegistry/registries/usages", "status": 403, "message": "denied"}]
	some f in check.deny with input as {"errors": errors}
	contains(f.msg, "Microsoft.ContainerRegistry/registries/listUsages/read")
}

test_a_paired_cluster_with_unknown_subnets_is_reported if {
	inp := {
		"errors": [],
		"clients": [{"id": "/c/aks", "name": "aks", "subnet_ids": [], "subnets_unknown": "node pool np has no vnetSubnetID"}],
		"pairs": [{"client": "/c/aks", "registry": "/r/acr", "registry_name": "acr"}],
	}
	res := check.deny with input as inp
	count(res) == 1
	some f in res
	contains(f.msg, "node pool np has no vnetSubnetID")
}

test_silent_when_subnets_are_known_or_the_cluster_is_unpaired if {
	known := {
		"errors": [],
		"clients": [{"id": "/c/aks", "name": "aks", "subnet_ids": ["/s"], "subnets_unknown": null}],
		"pairs": [{"client": "/c/aks", "registry": "/r/acr", "registry_name": "acr"}],
	}
	check.deny == set() with input as known
	unpaired := {
		"errors": [],
		"clients": [{"id": "/c/aks", "name": "aks", "subnet_ids": [], "subnets_unknown": "x"}],
		"pairs": [],
	}
	check.deny == set() with input as unpaired
}

hub_scope := "/subscriptions/c0ffee00-0000-4000-8000-000000000001"

hub_error(kind) := {"scope": hub_scope, "resourceType": kind, "status": 403, "code": "AuthorizationFailed", "message": "denied"}

test_an_unread_firewall_policy_group_or_ip_group_makes_the_firewall_hop_unknown if {
	every kind in [
		"Microsoft.Network/azureFirewalls",
		"Microsoft.Network/firewallPolicies",
		"Microsoft.Network/firewallPolicies/ruleCollectionGroups",
		"Microsoft.Network/ipGroups",
	] {
		some f in check.deny with input as {"errors": [hub_error(kind)]}
		contains(f.msg, sprintf("needs %s/read there", [kind]))
		contains(f.msg, "the firewall hop of paths through an Azure Firewall there is unknown, not denied")
		f.evidence.permission == sprintf("%s/read", [kind])
	}
}

test_an_unread_resolver_or_ruleset_makes_the_dns_chain_unknown if {
	every kind in [
		"Microsoft.Network/dnsResolvers",
		"Microsoft.Network/dnsResolvers/inboundEndpoints",
		"Microsoft.Network/dnsResolvers/outboundEndpoints",
		"Microsoft.Network/dnsForwardingRulesets",
		"Microsoft.Network/dnsForwardingRulesets/forwardingRules",
		"Microsoft.Network/dnsForwardingRulesets/virtualNetworkLinks",
	] {
		some f in check.deny with input as {"errors": [hub_error(kind)]}
		contains(f.msg, sprintf("needs %s/read there", [kind]))
		contains(f.msg, "the DNS chain of VNets whose DNS servers resolve through there is unknown, not wrong")
		not contains(f.msg, "firewall hop")
	}
}

test_the_hub_type_is_matched_ignoring_case if {
	some f in check.deny with input as {"errors": [hub_error("microsoft.network/DNSFORWARDINGRULESETS")]}
	contains(f.msg, "DNS chain")
}

test_other_types_keep_the_generic_consequence if {
	some f in check.deny with input as {"errors": [hub_error("Microsoft.Network/privateDnsZones")]}
	contains(f.msg, "rules stay silent on what was not read")
	not contains(f.msg, "DNS chain")
	not contains(f.msg, "firewall hop")
}
