package acr_audit.dns.acr_dns_004_test

import data.acr_audit.dns.acr_dns_004 as check
import rego.v1

inp(servers, status) := {
	"registries": [{"id": "/r/contoso", "private_endpoint_connections": [{"status": "Approved"}]}],
	"paths": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"}, "dns": {"status": status, "custom_dns_servers": servers, "chains": [{"server": s, "status": status, "cause": "on-premises"} | some s in servers]}}],
}

test_fires_when_a_chain_leaves_the_snapshot if {
	count(check.deny) == 1 with input as inp(["192.168.10.4"], "unknown")
}

test_silent_when_the_chain_is_known if {
	check.deny == set() with input as inp(["10.1.1.4"], "private")
}

test_silent_with_azure_dns if {
	check.deny == set() with input as inp([], "private")
}
