# METADATA
# title: Private endpoint without a private DNS record
# description: |
#   ## What it does
#   Flags a registry with an approved private endpoint when no `privatelink.azurecr.io` zone in the snapshot
#   holds an A record for its login server.
#
#   ## Why is this bad?
#   Clients keep resolving the registry to its public address: with public access disabled they get 403 or
#   time out; with it enabled they silently bypass the private endpoint.
#
#   ## Fix
#   Create the zone (or use the one the platform team owns), add the endpoint to it with a DNS zone group, and
#   link the zone to every client VNet.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link#configure-dns-settings
#   - https://learn.microsoft.com/azure/private-link/private-endpoint-dns
# custom:
#   id: ACR-DNS-001
#   severity: high
#   symptoms:
#     - "Get \"https://<registry>.azurecr.io/v2/\": dial tcp <acr-public-ip>:443: i/o timeout"
#     - "client with IP '<ip>' is not allowed access"
#   remediation:
#     - az network private-dns zone create --resource-group {registry_resource_group} --name privatelink.azurecr.io
#     - az network private-endpoint dns-zone-group create --resource-group <endpoint-resource-group> --endpoint-name <endpoint> --name default --private-dns-zone privatelink.azurecr.io --zone-name registry
package acr_audit.dns.acr_dns_001

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some reg in input.registries
	h.has_approved_private_endpoint(reg)
	count(reg.private_dns_records) == 0
	not h.unread("Microsoft.Network/privateDnsZones")
	not h.unread("Microsoft.Network/privateDnsZones/A")
	finding := {
		"msg": sprintf(
			"Registry %s has an approved private endpoint, but no privatelink zone in scope holds an A record for it: clients resolve it publicly",
			[reg.name],
		),
		"resource": reg.id,
		"registry": reg.id,
		"evidence": {"approved_private_endpoints": [c.private_endpoint_id | some c in reg.private_endpoint_connections; c.status == "Approved"]},
	}
}
