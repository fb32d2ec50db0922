package acr_audit.dns.acr_dns_005_test

import data.acr_audit.dns.acr_dns_005 as check
import rego.v1

hub := "/subscriptions/s/resourceGroups/hub/providers/Microsoft.Network/virtualNetworks/vnet-hub"

inp(status, answer) := {
	"registries": [{
		"id": "/r/contoso", "private_endpoint_connections": [{"status": "Approved"}],
		"private_dns_records": [{"zone": "/z/privatelink.azurecr.io"}],
	}],
	"paths": [{
		"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"},
		"dns": {"status": status, "custom_dns_servers": ["10.1.1.4"], "chains": [{
			"server": "10.1.1.4", "status": status, "answer": answer, "resolved_in": hub,
			"hops": [{"server": "10.1.1.4", "responder": "resolver_inbound", "resource": "/x/inboundEndpoints/in-hub", "forwarding_rule": null}],
		}]},
	}],
}

test_fires_when_the_chain_resolves_publicly if {
	findings := check.deny with input as inp("public", "public")
	count(findings) == 1
	some f in findings
	f.resource == "/z/privatelink.azurecr.io"
	f.params.vnet_id == hub
	contains(f.msg, "10.1.1.4 (resolver_inbound in-hub)")
}

test_silent_when_the_chain_resolves_privately if {
	check.deny == set() with input as inp("private", "private_record")
}

test_silent_on_a_fallback_answer if {
	check.deny == set() with input as inp("public", "public_fallback")
}

test_silent_when_zone_links_were_not_read if {
	check.deny == set() with input as object.union(inp("public", "public"), {"unread_types": ["microsoft.network/privatednszones/virtualnetworklinks"]})
}
