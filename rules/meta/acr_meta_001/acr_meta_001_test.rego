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
