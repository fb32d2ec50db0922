package acr_audit.network.acr_net_007_test

import data.acr_audit.network.acr_net_007 as check
import rego.v1

path(verdict) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"endpoint": {"fqdn": "*.blob.core.windows.net"},
	"destination": {"kind": "service_tag", "service_tag": "Storage.EastUS"},
	"nsg": {"uncertain": false, "evaluations": [{
		"nsg": "/n/nsg", "name": "nsg", "verdict": verdict, "denied_addresses": 1280, "denied_examples": ["20.47.1.0/24"],
		"deciding_rules": [{"name": "AllowSome", "priority": 200, "access": "Allow"}, {"name": "DenyRest", "priority": 300, "access": "Deny"}],
	}]},
}

test_fires_on_partial if {
	count(check.deny) == 1 with input as {"paths": [path("partial")]}
}

test_silent_on_full_allow if {
	check.deny == set() with input as {"paths": [path("allow")]}
}
