package acr_audit.registry.acr_reg_009_test

import data.acr_audit.registry.acr_reg_009 as check
import rego.v1

inp(rules) := {
	"registries": [{"id": "/r/contoso", "name": "contoso", "public_network_access": "Enabled", "default_action": "Deny", "virtual_network_rules": rules}],
	"clients": [{"id": "/c/aks", "acr_service_endpoint_subnets": ["/v/s1"]}],
	"paths": [{"client": "/c/aks", "registry": "/r/contoso", "subnet": "/v/s1", "endpoint": {"kind": "login"}, "dns": {"status": "public"}}],
}

test_fires_without_a_subnet_rule if {
	count(check.deny) == 1 with input as inp([])
}

test_silent_with_the_subnet_rule if {
	check.deny == set() with input as inp(["/V/S1"])
}
