# METADATA
# title: Nothing answers the VNet's DNS queries
# description: |
#   ## What it does
#   Flags a client VNet whose DNS servers all lead to something that answers no query: an Azure Firewall whose
#   DNS proxy is off, an address in a fully read subscription that no firewall, resolver inbound endpoint or VM
#   holds (a deleted resolver or DNS VM), or a forwarding loop. An address acr-audit cannot place (on-premises,
#   an unread subscription, a subnet holding a load balancer) is never reported here.
#
#   ## Why is this bad?
#   No name resolves from the VNet: pulls fail with `no such host` or a DNS timeout before any connection is
#   made. An Azure Firewall listens on port 53 only with its DNS proxy enabled.
#
#   ## Fix
#   Enable the DNS proxy on the firewall (in its policy's DNS settings), or point the VNet's DNS servers at an
#   address that answers: a resolver inbound endpoint, or Azure-provided DNS.
# related_resources:
#   - https://learn.microsoft.com/azure/firewall/dns-settings
#   - https://learn.microsoft.com/azure/dns/private-resolver-endpoints-rulesets
#   - https://learn.microsoft.com/azure/virtual-network/manage-virtual-network#change-dns-servers
# custom:
#   id: ACR-DNS-006
#   severity: high
#   symptoms:
#     - "dial tcp: lookup myregistry.azurecr.io: i/o timeout"
#     - "dial tcp: lookup myregistry.azurecr.io on <dns-server-ip>:53: read: connection refused"
#   remediation:
#     - az network firewall policy update --ids {policy_id} --enable-dns-proxy true
#     - az network vnet update --ids {vnet_id} --dns-servers <address-that-answers-dns>
package acr_audit.dns.acr_dns_006

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	path.dns.status == "no_answer"
	vnet := substring(path.subnet, 0, indexof(lower(path.subnet), "/subnets/"))
	finding := {
		"msg": sprintf(
			"VNet %s (client %s) sends its DNS queries to %s, and nothing answers (%s): no name resolves, %s included",
			[h.last(vnet), path.client_name, concat(", ", path.dns.custom_dns_servers), path.dns.cause, path.endpoint.fqdn],
		),
		"resource": vnet,
		"registry": path.registry,
		"client": path.client,
		"params": object.union({"vnet_id": vnet}, policy(path)),
		"evidence": {"dns_servers": path.dns.custom_dns_servers, "chains": path.dns.chains},
	}
}

# The firewall policy whose DNS settings turned the proxy off, when a chain ends there.
policy(path) := {"policy_id": p} if {
	some chain in path.dns.chains
	some x in chain.hops
	x.responder == "nothing"
	p := x.configured_by
	p != null
} else := {}
