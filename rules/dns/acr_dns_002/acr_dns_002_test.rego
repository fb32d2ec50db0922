package acr_audit.dns.acr_dns_002_test

import data.acr_audit.dns.acr_dns_002 as check
import rego.v1

inp(status, servers) := inp_answer(status, status, servers)

inp_answer(status, answer, servers) := {
	"unread_types": [],
	"registries": [{"id": "/r/contoso", "name": "contoso", "private_endpoint_connections": [{"status": "Approved"}], "private_dns_records": [{"zone": "/z/privatelink.azurecr.io"}]}],
	"paths": [{
		"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
		"subnet": "/s/rg/providers/Microsoft.Network/virtualNetworks/spoke/subnets/nodes",
		"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"},
		"dns": {"status": status, "answer": answer, "custom_dns_servers": servers},
	}],
}

test_fires_when_resolved_publicly if {
	res := check.deny with input as inp("public", [])
	count(res) == 1
	some f in res
	f.resource == "/z/privatelink.azurecr.io"
}

test_silent_when_linked if {
	check.deny == set() with input as inp("private", [])
}

test_silent_with_custom_dns if {
	check.deny == set() with input as inp("public", ["10.0.0.68"])
}

test_silent_when_a_linked_zone_falls_back_to_public_resolution if {
	check.deny == set() with input as inp_answer("public", "public_fallback", [])
}

test_silent_when_the_zone_could_not_be_read if {
	check.deny == set() with input as inp_answer("unknown", "unknown", [])
}
