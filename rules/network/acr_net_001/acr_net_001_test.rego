package acr_audit.network.acr_net_001_test

import data.acr_audit.network.acr_net_001 as check
import rego.v1

path(kind, verdict) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"endpoint": {"kind": kind, "fqdn": "*.blob.core.windows.net"},
	"destination": {"kind": "service_tag", "service_tag": "Storage.EastUS", "examples": []},
	"nsg": {"verdict": verdict, "uncertain": false, "evaluations": [{
		"nsg": "/n/nsg-aks", "name": "nsg-aks", "level": "client_subnet", "verdict": verdict, "denied_examples": ["20.60.0.0/19"],
		"deciding_rules": [{"id": "/n/nsg-aks/securityRules/DenyStorage", "name": "DenyStorage", "priority": 200, "access": "Deny"}],
	}]},
}

test_fires_on_a_denied_storage_path if {
	count(check.deny) == 1 with input as {"paths": [path("storage", "deny")]}
}

test_silent_when_allowed if {
	check.deny == set() with input as {"paths": [path("storage", "allow")]}
}

test_silent_for_the_login_endpoint if {
	check.deny == set() with input as {"paths": [path("login", "deny")]}
}
