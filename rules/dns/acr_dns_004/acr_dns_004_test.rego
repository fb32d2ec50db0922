package acr_audit.dns.acr_dns_004_test

import data.acr_audit.dns.acr_dns_004 as check
import rego.v1

inp(servers) := {
	"registries": [{"id": "/r/contoso", "private_endpoint_connections": [{"status": "Approved"}]}],
	"paths": [{"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso", "subnet": "/v/spoke/subnets/nodes",
		"endpoint": {"kind": "login", "fqdn": "contoso.azurecr.io"}, "dns": {"status": "private", "custom_dns_servers": servers}}],
}

test_fires_with_custom_servers if {
	count(check.deny) == 1 with input as inp(["10.0.0.68"])
}

test_silent_with_azure_dns if {
	check.deny == set() with input as inp([])
}
