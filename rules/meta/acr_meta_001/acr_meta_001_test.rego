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
