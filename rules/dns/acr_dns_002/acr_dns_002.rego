# METADATA
# title: Client VNet not linked to the registry's private DNS zone
# description: |
#   ## What it does
#   For a client that pulls from a registry with an approved private endpoint, flags the client VNet when no
#   `privatelink.azurecr.io` zone is linked to it and it uses Azure-provided DNS (no custom DNS servers, no
#   forwarding ruleset rule sending the query elsewhere: ACR-DNS-005 covers those chains).
#
#   ## Why is this bad?
#   Name resolution from that VNet ignores the private zone and returns the registry's public address. With
#   public access disabled the client gets 403 (or `client with IP ... is not allowed access`); otherwise its
#   traffic leaves through the internet path instead of the private endpoint.
#
#   ## Fix
#   Link the zone that holds the registry's records to the client VNet.
# related_resources:
#   - https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links
#   - https://learn.microsoft.com/troubleshoot/azure/azure-container-registry/troubleshoot-network-access-issues
# custom:
#   id: ACR-DNS-002
#   severity: high
#   symptoms:
#     - "failed to authorize: failed to fetch anonymous token: unexpected status: 403 Forbidden"
#     - "client with IP '<ip>' is not allowed access. Refer https://aka.ms/acr/firewall to grant access."
#   remediation:
#     - az network private-dns link vnet create --resource-group {resource_resource_group} --zone-name privatelink.azurecr.io --name link-{vnet_name} --virtual-network {vnet_id} --registration-enabled false
package acr_audit.dns.acr_dns_002

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	path.dns.status == "public"
	path.dns.answer == "public"
	count(path.dns.custom_dns_servers) == 0
	# A forwarding ruleset linked to the VNet sends the query elsewhere: ACR-DNS-005 judges that chain.
	count(object.get(path.dns, "chains", [])) == 0
	reg := h.registry_by_id(path.registry)
	h.has_approved_private_endpoint(reg)
	not h.unread("Microsoft.Network/privateDnsZones/virtualNetworkLinks")
	vnet := client_vnet(path.subnet)
	finding := {
		"msg": sprintf(
			"VNet %s (client %s) is not linked to a privatelink.azurecr.io zone: %s resolves to its public address instead of the private endpoint",
			[h.last(vnet), path.client_name, path.endpoint.fqdn],
		),
		"resource": zone_to_link(reg, vnet),
		"registry": path.registry,
		"client": path.client,
		"params": {"vnet_id": vnet, "vnet_name": h.last(vnet)},
		"evidence": {"client_vnet": vnet, "zones_with_records": [r.zone | some r in reg.private_dns_records]},
	}
}

client_vnet(subnet) := substring(subnet, 0, indexof(lower(subnet), "/subnets/"))

# The zone that holds the registry's records is what gets the new link; without one, the VNet itself.
zone_to_link(reg, vnet) := reg.private_dns_records[0].zone if count(reg.private_dns_records) > 0

zone_to_link(reg, vnet) := vnet if count(reg.private_dns_records) == 0
