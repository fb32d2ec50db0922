package acr_audit.registry.acr_reg_005_test

import data.acr_audit.registry.acr_reg_005 as check
import rego.v1

reg(current) := {"id": "/r/contoso", "name": "contoso", "storage_usage": {"current": current, "limit": 100, "ratio": current / 100}}

test_medium_at_ninety_percent if {
	res := check.deny with input as {"registries": [reg(92)]}
	some f in res
	f.severity == "medium"
}

test_high_when_full if {
	res := check.deny with input as {"registries": [reg(100)]}
	some f in res
	f.severity == "high"
}

test_silent_below_ninety_percent if {
	check.deny == set() with input as {"registries": [reg(89)]}
}

test_silent_without_usage if {
	check.deny == set() with input as {"registries": [{"id": "/r", "name": "r"}]}
}
