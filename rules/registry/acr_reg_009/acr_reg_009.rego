# METADATA
# title: Client relies on a service endpoint the registry does not accept
# description: |
#   ## What it does
#   For a client subnet with a `Microsoft.ContainerRegistry` service endpoint that reaches the registry over its
#   public endpoint, flags a registry that has no virtual network rule for that subnet, or whose public network
#   access is disabled (which turns service-endpoint access off too).
#
#   ## Why is this bad?
#   With the service endpoint the registry sees the subnet, not a public IP (service endpoints switch the source
#   address to the client's private IP, which is what the denial names): IP rules do not match it, and without a
#   subnet rule the request is denied with 403.
#
#   ## Fix
#   Move the client to a private endpoint (service-endpoint rules for ACR are a preview feature), or add the
#   subnet rule while it is supported.
# related_resources:
#   - https://learn.microsoft.com/azure/container-registry/container-registry-vnet
#   - https://learn.microsoft.com/azure/virtual-network/virtual-network-service-endpoints-overview
# custom:
#   id: ACR-REG-009
#   severity: medium
#   symptoms:
#     - "client with IP '<private-ip>' is not allowed access"
#   remediation:
#     - az acr network-rule add --name {registry_name} --subnet {subnet_id}
#     - az network vnet subnet update --ids {subnet_id} --service-endpoints ""
package acr_audit.registry.acr_reg_009

import data.acr_audit.lib.helpers as h
import rego.v1

deny contains finding if {
	some path in input.paths
	path.endpoint.kind == "login"
	path.dns.status == "public"
	client := h.client_by_id(path.client)
	some subnet in client.acr_service_endpoint_subnets
	lower(subnet) == lower(path.subnet)
	reg := h.registry_by_id(path.registry)
	not accepts(reg, subnet)
	finding := {
		"msg": sprintf(
			"Subnet %s reaches registry %s through a Microsoft.ContainerRegistry service endpoint, but the registry %s",
			[h.last(subnet), reg.name, reason(reg)],
		),
		"resource": path.registry,
		"registry": path.registry,
		"client": path.client,
		"params": {"subnet_id": subnet},
		"evidence": {"subnet": subnet, "virtual_network_rules": reg.virtual_network_rules, "public_network_access": reg.public_network_access},
	}
}

accepts(reg, subnet) if {
	reg.public_network_access != "Disabled"
	reg.default_action == "Allow"
}

accepts(reg, subnet) if {
	reg.public_network_access != "Disabled"
	some rule in reg.virtual_network_rules
	lower(rule) == lower(subnet)
}

reason(reg) := "has public network access disabled, which also disables service-endpoint access" if reg.public_network_access == "Disabled"

reason(reg) := "has no virtual network rule for it" if reg.public_network_access != "Disabled"
