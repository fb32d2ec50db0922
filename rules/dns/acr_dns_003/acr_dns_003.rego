# METADATA
# title: Private DNS zone lacks a registry record, or holds a stale one
# description: |
#   ## What it does
#   For a client VNet linked to a `privatelink.azurecr.io` zone, flags each registry name the client needs (the
#   login server, and `<registry>.<region>.data` for every region the registry lives in) that the zone does
#   not hold, or holds with an address no private endpoint of the registry serves.
#
#   ## Why is this bad?
#   A missing record makes the name fail to resolve inside the VNet (NXDOMAIN) once the zone is linked; a stale
#   record sends clients to an address nothing answers on. Data-endpoint records are easy to miss when a
#   replica region is added. A link with `resolutionPolicy: NxDomainRedirect` falls back to public resolution
#   instead of NXDOMAIN: then the missing record matters only when the registry refuses the client on its
#   public endpoint (public access disabled, or no IP rule for the client), and the rule stays silent when the
#   public endpoint lets the client in.
#
#   ## Fix
#   Let the private endpoint's DNS zone group manage the records, or add the missing A record with the
#   endpoint's address.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-private-link#configure-dns-settings
#   - https://learn.microsoft.com/azure/dns/private-dns-fallback
# custom:
#   id: ACR-DNS-003
#   severity: high
#   symptoms:
#     - "dial tcp: lookup myregistry.eastus.data.azurecr.io: no such host"
#     - "dial tcp: lookup myregistry.azurecr.io"
#     - "dial tcp <acr-private-ip>:443: i/o timeout"
#   remediation:
#     - az network private-dns record-set a add-record --resource-group {resource_resource_group} --zone-name {resource_name} --record-set-name {record_name} --ipv4-address {expected_ip}
package acr_audit.dns.acr_dns_003

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.dns.status == "nxdomain"
	not h.unread("Microsoft.Network/privateDnsZones/A")
	finding := {
		"msg": sprintf(
			"Zone %s is linked to %s but has no A record %s: %s does not resolve (NXDOMAIN)",
			[h.last(path.dns.zone), where(path), path.endpoint.private_link_record, path.endpoint.fqdn],
		),
		"resource": path.dns.zone,
		"registry": path.registry,
		"client": path.client,
		"params": {"record_name": path.endpoint.private_link_record, "expected_ip": expected(path)},
		"evidence": {"fqdn": path.endpoint.fqdn, "expected_addresses": path.dns.expected_addresses},
	}
}

# The link falls back to public resolution, and the public endpoint refuses this client.
deny contains finding if {
	some path in input.paths
	path.dns.answer == "public_fallback"
	path.firewall.verdict == "blocked"
	not h.unread("Microsoft.Network/privateDnsZones/A")
	finding := {
		"msg": sprintf(
			"Zone %s is linked to %s but has no A record %s: %s falls back to its public address, where the registry refuses the client (%s)",
			[h.last(path.dns.zone), where(path), path.endpoint.private_link_record, path.endpoint.fqdn, path.firewall.reason],
		),
		"resource": path.dns.zone,
		"registry": path.registry,
		"client": path.client,
		"params": {"record_name": path.endpoint.private_link_record, "expected_ip": expected(path)},
		"evidence": {"fqdn": path.endpoint.fqdn, "expected_addresses": path.dns.expected_addresses, "link": path.dns.link, "firewall": path.firewall.verdict},
	}
}

deny contains finding if {
	some path in input.paths
	path.dns.status == "private"
	path.dns.stale
	finding := {
		"msg": sprintf(
			"Record %s in zone %s points %s at %s, but the registry's private endpoints serve %s",
			[path.endpoint.private_link_record, h.last(path.dns.zone), path.endpoint.fqdn, concat(", ", path.dns.addresses), concat(", ", path.dns.expected_addresses)],
		),
		"resource": path.dns.zone,
		"registry": path.registry,
		"client": path.client,
		"params": {"record_name": path.endpoint.private_link_record, "expected_ip": expected(path)},
		"evidence": {"record": path.dns.record, "addresses": path.dns.addresses, "expected_addresses": path.dns.expected_addresses},
	}
}

expected(path) := path.dns.expected_addresses[0] if count(path.dns.expected_addresses) > 0

expected(path) := "<private-endpoint-ip>" if count(path.dns.expected_addresses) == 0

# The VNet whose Azure DNS answered: the client's own, or the one its DNS chain resolves in.
where(path) := sprintf("%s's VNet", [path.client_name]) if count(object.get(path.dns, "chains", [])) == 0

where(path) := sprintf("VNet %s (where %s's DNS chain resolves)", [h.last(path.dns.resolved_in), path.client_name]) if {
	count(object.get(path.dns, "chains", [])) > 0
	object.get(path.dns, "resolved_in", null) != null
}

where(path) := sprintf("the VNets where %s's DNS chains resolve", [path.client_name]) if {
	count(object.get(path.dns, "chains", [])) > 0
	object.get(path.dns, "resolved_in", null) == null
}
