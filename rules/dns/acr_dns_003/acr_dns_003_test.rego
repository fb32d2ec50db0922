package acr_audit.dns.acr_dns_003_test

import data.acr_audit.dns.acr_dns_003 as check
import rego.v1

path(status, stale) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"endpoint": {"kind": "data", "fqdn": "contoso.eastus.data.azurecr.io", "private_link_record": "contoso.eastus.data"},
	"dns": {"status": status, "zone": "/z/privatelink.azurecr.io", "record": "/z/A/x", "addresses": ["10.0.1.9"], "expected_addresses": ["10.0.1.6"], "stale": stale},
}

test_fires_on_a_missing_record if {
	count(check.deny) == 1 with input as {"paths": [path("nxdomain", false)], "unread_types": []}
}

test_fires_on_a_stale_record if {
	count(check.deny) == 1 with input as {"paths": [path("private", true)], "unread_types": []}
}

test_silent_on_a_current_record if {
	check.deny == set() with input as {"paths": [path("private", false)], "unread_types": []}
}

fallback(verdict) := object.union(path("public", false), {
	"dns": {"status": "public", "answer": "public_fallback", "zone": "/z/privatelink.azurecr.io", "link": "/z/virtualNetworkLinks/l", "addresses": [], "expected_addresses": ["10.0.1.6"], "stale": false},
	"firewall": {"verdict": verdict, "reason": "public network access is disabled"},
})

test_fires_when_the_fallback_lands_on_a_refusing_public_endpoint if {
	count(check.deny) == 1 with input as {"paths": [fallback("blocked")], "unread_types": []}
}

test_silent_when_the_fallback_lands_on_a_usable_public_endpoint if {
	check.deny == set() with input as {"paths": [fallback("allowed")], "unread_types": []}
}

test_silent_when_the_public_endpoint_is_not_known if {
	check.deny == set() with input as {"paths": [fallback("unknown")], "unread_types": []}
}

test_silent_when_the_zone_could_not_be_read if {
	unknown := object.union(path("unknown", false), {"dns": {"status": "unknown", "answer": "unknown"}})
	check.deny == set() with input as {"paths": [unknown], "unread_types": []}
}
