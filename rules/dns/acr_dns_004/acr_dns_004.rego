# METADATA
# title: Client VNet uses custom DNS servers
# description: |
#   ## What it does
#   For a client of a registry with private endpoints, flags a client VNet whose custom DNS servers lead, on
#   at least one chain, somewhere acr-audit cannot follow: a DNS server outside every VNet of the snapshot
#   (on-premises), or one in a scope that could not be read. Chains acr-audit can follow (resolver inbound
#   endpoints, firewall DNS proxies, DNS VMs) are judged by ACR-DNS-005 and ACR-DNS-006 instead.
#
#   ## Why is this bad?
#   Private DNS zone links apply only to Azure-provided DNS. Whether the registry resolves privately depends on
#   how that server forwards `azurecr.io` (or `privatelink.azurecr.io`), which ARM cannot show: acr-audit's
#   DNS verdict for this VNet is unknown.
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
	some chain in path.dns.chains
	chain.status == "unknown"
	reg := h.registry_by_id(path.registry)
	count(reg.private_endpoint_connections) > 0
	vnet := substring(path.subnet, 0, indexof(lower(path.subnet), "/subnets/"))
	finding := {
		"msg": sprintf(
			"VNet %s (client %s) uses custom DNS servers %s: how %s resolves through %s is not known (%s)",
			[h.last(vnet), path.client_name, concat(", ", path.dns.custom_dns_servers), path.endpoint.fqdn, chain.server, chain.cause],
		),
		"resource": vnet,
		"registry": path.registry,
		"client": path.client,
		"params": {"fqdn": path.endpoint.fqdn, "dns_server": chain.server, "vnet_id": vnet},
		"evidence": {"dns_servers": path.dns.custom_dns_servers, "chain": chain},
	}
}
