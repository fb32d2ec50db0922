package acr_audit.registry.acr_reg_002_test

import data.acr_audit.registry.acr_reg_002 as check
import rego.v1

inp(uncovered) := {
	"registries": [{"id": "/r/contoso", "default_action": "Deny", "ip_rules": ["20.85.16.0/28"]}],
	"paths": [{
		"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
		"endpoint": {"kind": "login"},
		"firewall": {"verdict": "blocked", "egress_ips": ["20.85.17.9"], "uncovered_ips": uncovered},
	}],
}

test_fires_on_an_uncovered_egress_ip if {
	res := check.deny with input as inp(["20.85.17.9"])
	count(res) == 1
	some f in res
	contains(f.msg, "20.85.17.9")
}

test_silent_when_every_egress_ip_is_covered if {
	res := check.deny with input as inp([])
	res == set()
}

test_fires_on_a_partly_covered_egress_prefix if {
	inp := {
		"registries": [{"id": "/r/contoso", "default_action": "Deny", "ip_rules": ["20.85.16.0/29"]}],
		"paths": [{
			"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "registry_name": "contoso",
			"endpoint": {"kind": "login"},
			"firewall": {
				"verdict": "blocked", "egress_ips": [], "uncovered_ips": [],
				"egress_prefixes": ["20.85.16.0/28"], "uncovered_prefixes": ["20.85.16.0/28"],
			},
		}],
	}
	res := check.deny with input as inp
	count(res) == 1
	some f in res
	contains(f.msg, "20.85.16.0/28")
	f.params.egress_ip == "20.85.16.0/28"
}
