# METADATA
# title: Client VNet uses custom DNS servers
# description: |
#   ## What it does
#   For a client of a registry with private endpoints, flags a client VNet configured with custom DNS servers.
#
#   ## Why is this bad?
#   Private DNS zone links apply only to Azure-provided DNS. Whether the registry resolves privately depends on
#   the custom servers forwarding `azurecr.io` (or `privatelink.azurecr.io`) to 168.63.129.16, which ARM cannot
#   show; acr-audit's DNS verdict for this VNet is an assumption.
#
#   ## Fix
#   Check the forwarders (or a Private Resolver ruleset) resolve the registry to its private endpoint.
# related_resources:
#   - https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
# custom:
#   id: ACR-DNS-004
#   severity: info
#   symptoms:
#     - "dial tcp: lookup myregistry.azurecr.io on <dns-server-ip>:53: no such host"
#     - "dial tcp: lookup myregistry.azurecr.io: i/o timeout"
#   remediation:
#     - nslookup {fqdn} {dns_server}
#     - az network vnet show --ids {vnet_id} --query dhcpOptions.dnsServers
package acr_audit.dns.acr_dns_004

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	count(path.dns.custom_dns_servers) > 0
	reg := h.registry_by_id(path.registry)
	count(reg.private_endpoint_connections) > 0
	vnet := substring(path.subnet, 0, indexof(lower(path.subnet), "/subnets/"))
	finding := {
		"msg": sprintf(
			"VNet %s (client %s) uses custom DNS servers %s: the privatelink zone link alone does not decide how %s resolves",
			[h.last(vnet), path.client_name, concat(", ", path.dns.custom_dns_servers), path.endpoint.fqdn],
		),
		"resource": vnet,
		"registry": path.registry,
		"client": path.client,
		"params": {"fqdn": path.endpoint.fqdn, "dns_server": path.dns.custom_dns_servers[0], "vnet_id": vnet},
		"evidence": {"dns_servers": path.dns.custom_dns_servers, "azure_dns_answer": path.dns.status},
	}
}
