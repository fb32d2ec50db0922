# METADATA
# title: Consumer pulls over the public network from a registry that refuses it
# description: |
#   ## What it does
#   For each App Service or Functions app, container app and container group that pulls from a registry over
#   the public network (`clients[_].pull_network == "public"`: no VNet image pull, no VNet-injected
#   environment, no subnet), reads the verdict of the registry's network rules on that pull
#   (`pairs[_].public_pull`, computed in Rust): blocked when public network access is disabled, or when the
#   registry allows selected networks only and an outbound address of the consumer is not among its IP
#   rules. The trusted-services bypass is counted only where Microsoft lists the consumer as a trusted
#   service (Container Instances pulling with a managed identity); it never admits App Service or Container
#   Apps. Silent when the verdict is `unknown` (egress addresses not in ARM, such as App Service Premium V4,
#   or a VNet-integrated site whose image pull routing cannot be read). ACR Tasks are ACR-USE-003.
#
#   ## Why is this bad?
#   The platform pulls the image from its own public outbound addresses, which the registry refuses with
#   `403`: the app never starts, and the app's own diagnostics show only a failed pull.
#
#   ## Fix
#   Pull over the VNet (App Service: VNet integration plus `outboundVnetRouting.imagePullTraffic`; Container
#   Apps: an environment with an infrastructure subnet; Container Instances: a subnet, or a managed identity
#   with the trusted-services bypass), with a path to the registry's private endpoint; or allow the consumer's
#   outbound addresses in the registry firewall.
# related_resources:
#   - https://learn.microsoft.com/azure/app-service/configure-vnet-integration-routing
#   - https://learn.microsoft.com/azure/app-service/overview-inbound-outbound-ips
#   - https://learn.microsoft.com/azure/container-registry/allow-access-trusted-services
#   - https://learn.microsoft.com/azure/container-registry/container-registry-access-selected-networks
#   - https://learn.microsoft.com/azure/container-instances/using-azure-container-registry-mi
# custom:
#   id: ACR-USE-001
#   severity: high
#   symptoms:
#     - "403 Forbidden"
#     - "client with IP is not allowed access"
#   remediation:
#     - az acr network-rule add --name {registry_name} --ip-address {egress_ip}
#   remediation_by_kind:
#     webapp:
#       - az webapp vnet-integration add --name {client_name} --resource-group {client_resource_group} --vnet <vnet> --subnet <subnet>
#       - az resource update --ids {client_id} --set properties.outboundVnetRouting.imagePullTraffic=true
#     functionapp:
#       - az functionapp vnet-integration add --name {client_name} --resource-group {client_resource_group} --vnet <vnet> --subnet <subnet>
#       - az resource update --ids {client_id} --set properties.outboundVnetRouting.imagePullTraffic=true
#     containerapp:
#       - az containerapp env create --name <environment> --resource-group {client_resource_group} --infrastructure-subnet-resource-id <subnet-id>
#     containergroup:
#       - az container create --resource-group {client_resource_group} --name {client_name} --image <image> --subnet <subnet-id>
#       - az acr update --name {registry_name} --allow-trusted-services true
package acr_audit.consumers.acr_use_001

import data.acr_audit.lib.helpers as h
import rego.v1

# The kinds this rule judges; a task's public pull is ACR-USE-003.
kinds := {"webapp", "functionapp", "containerapp", "containergroup"}

deny contains finding if {
	some pair in input.pairs
	pull := object.get(pair, "public_pull", null)
	pull != null
	pull.verdict == "blocked"
	client := h.client_by_id(pair.client)
	client.kind in kinds
	finding := {
		"msg": sprintf(
			"%s %s pulls its image over the public network (%s), and registry %s refuses it: %s. Pulls fail with 403",
			[noun(client.kind), pair.client_name, object.get(client, "pull_network_reason", "no VNet pull"), pair.registry_name, pull.reason],
		),
		"resource": pair.client,
		"registry": pair.registry,
		"client": pair.client,
		"client_kind": client.kind,
		"params": params(pull),
		"evidence": {
			"pull_network_reason": object.get(client, "pull_network_reason", null),
			"public_pull": pull,
		},
	}
}

params(pull) := {"egress_ip": pull.uncovered_ips[0]} if count(pull.uncovered_ips) > 0

params(pull) := {} if count(pull.uncovered_ips) == 0

noun("webapp") := "App Service app"

noun("functionapp") := "Functions app"

noun("containerapp") := "Container app"

noun("containergroup") := "Container group"
