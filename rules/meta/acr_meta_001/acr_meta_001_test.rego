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
