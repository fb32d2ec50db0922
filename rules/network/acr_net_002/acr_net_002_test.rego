package acr_audit.network.acr_net_002_test

import data.acr_audit.network.acr_net_002 as check
import rego.v1

path(verdict, uncertain) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"},
	"destination": {"kind": "private_ip", "examples": ["10.0.1.5/32"]},
	"nsg": {"verdict": verdict, "uncertain": uncertain, "evaluations": [{
		"nsg": "/n/nsg-pe", "name": "nsg-pe", "level": "endpoint_subnet", "direction": "Inbound", "verdict": verdict, "denied_examples": ["10.0.1.5/32"],
		"deciding_rules": [{"id": "/n/nsg-pe/securityRules/DenyAll", "name": "DenyAll", "priority": 4000, "access": "Deny"}],
	}]},
}

test_fires_on_denied_login if {
	count(check.deny) == 1 with input as {"paths": [path("deny", false)]}
}

test_silent_when_allowed if {
	check.deny == set() with input as {"paths": [path("allow", false)]}
}

test_silent_when_uncertain if {
	check.deny == set() with input as {"paths": [path("deny", true)]}
}
