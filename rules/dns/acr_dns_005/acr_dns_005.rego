# METADATA
# title: DNS chain resolves a private registry publicly
# description: |
#   ## What it does
#   For a client of a registry with an approved private endpoint, follows the VNet's DNS chain (its custom DNS
#   servers, or a forwarding ruleset linked to it: a DNS Private Resolver inbound endpoint, an Azure Firewall DNS
#   proxy, a DNS VM) to the VNet whose Azure DNS answers, and flags a chain that ends in a VNet no
#   `privatelink.azurecr.io` zone is linked to. The finding names each hop and the link to add.
#
#   ## Why is this bad?
#   Private DNS zones answer only queries Azure DNS receives from a linked VNet. Linking the zone to the client
#   VNet does nothing when its queries are resolved elsewhere (in the resolver's or the firewall's VNet): the
#   registry resolves to its public address. With public access disabled the pull fails with 403 (`client with
#   IP ... is not allowed access`); otherwise it bypasses the private endpoint.
#
#   ## Fix
#   Link the zone that holds the registry's records to the VNet where the chain resolves (usually the hub that
#   holds the resolver or the firewall), or add a forwarding rule for `privatelink.azurecr.io.` towards a
#   resolver whose VNet is linked.
# related_resources:
#   - https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets
#   - https://learn.microsoft.com/azure/private-link/private-endpoint-dns-integration
#   - https://learn.microsoft.com/azure/firewall/dns-settings
# custom:
#   id: ACR-DNS-005
#   severity: high
#   symptoms:
#     - "nslookup <registry-host> answers <acr-public-ip> (canonical name <registry-host>.privatelink.azurecr.io) from the VNet's DNS server"
#     - "unexpected status: 403 Forbidden"
#   remediation:
#     - az network private-dns link vnet create --resource-group {resource_resource_group} --zone-name privatelink.azurecr.io --name link-{vnet_name} --virtual-network {vnet_id} --registration-enabled false
#     - nslookup {fqdn} {dns_server}
package acr_audit.dns.acr_dns_005

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	some chain in path.dns.chains
	chain.status == "public"
	chain.answer == "public"
	chain.resolved_in != null
	reg := h.registry_by_id(path.registry)
	h.has_approved_private_endpoint(reg)
	not h.unread("Microsoft.Network/privateDnsZones/virtualNetworkLinks")
	vnet := substring(path.subnet, 0, indexof(lower(path.subnet), "/subnets/"))
	finding := {
		"msg": sprintf(
			"VNet %s (client %s) resolves %s through %s: the chain ends at Azure DNS in VNet %s, which no privatelink.azurecr.io zone is linked to, so the registry resolves to its public address although it has a private endpoint",
			[h.last(vnet), path.client_name, path.endpoint.fqdn, hops(chain), h.last(chain.resolved_in)],
		),
		"resource": zone_to_link(reg, chain.resolved_in),
		"registry": path.registry,
		"client": path.client,
		"params": {"vnet_id": chain.resolved_in, "vnet_name": h.last(chain.resolved_in), "fqdn": path.endpoint.fqdn, "dns_server": chain.server},
		"evidence": {"client_vnet": vnet, "chain": chain, "zones_with_records": [r.zone | some r in reg.private_dns_records]},
	}
}

# Each hop as "<server> <what answers>[ <resource>][ rule <domain>]", in order.
hops(chain) := concat(" -> ", [hop(x) | some x in chain.hops])

hop(x) := sprintf("%s (%s%s%s)", [x.server, x.responder, resource(x), rule(x)])

resource(x) := sprintf(" %s", [h.last(x.resource)]) if object.get(x, "resource", null) != null

resource(x) := "" if object.get(x, "resource", null) == null

rule(x) := sprintf(", forwarding rule %s for %s", [h.last(x.forwarding_rule), x.forwarding_domain]) if {
	object.get(x, "forwarding_rule", null) != null
}

rule(x) := "" if object.get(x, "forwarding_rule", null) == null

# The zone that holds the registry's records gets the new link; without one, the VNet itself.
zone_to_link(reg, vnet) := reg.private_dns_records[0].zone if count(reg.private_dns_records) > 0

zone_to_link(reg, vnet) := vnet if count(reg.private_dns_records) == 0
