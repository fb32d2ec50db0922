# METADATA
# title: Part of the scope could not be read
# description: |
#   ## What it does
#   Reports every scope and resource type the snapshot could not read (403, throttling that outlasted the
#   retries, a server error), as recorded in its `errors`, with the permission the read needs (for role
#   assignments `Microsoft.Authorization/roleAssignments/read`; for the hub types an Azure Firewall, its
#   policies, rule collection groups and IP groups, a DNS Private Resolver, its endpoints, forwarding rulesets,
#   their rules and VNet links, each type's `/read`, which Reader grants) and what stays unknown because of it
#   (a firewall hop, a DNS chain), and every paired AKS cluster whose node subnets
#   could not be found (a pool without `vnetSubnetID` and no scale set or VM in the node resource group naming
#   a subnet): its paths are unknown, not clean.
#
#   ## Why is this bad?
#   Rules stay silent on data they did not see: an unreadable role-assignment list is not a missing AcrPull.
#   Findings about that scope may therefore be missing, and a clean report is not a clean estate.
#
#   ## Fix
#   Grant the scanning identity Reader on the scope (and `Microsoft.Authorization/roleAssignments/read` for RBAC
#   checks), then scan again.
# related_resources:
#   - https://learn.microsoft.com/azure/role-based-access-control/built-in-roles#reader
#   - https://learn.microsoft.com/azure/azure-resource-manager/management/request-limits-and-throttling
# custom:
#   id: ACR-META-001
#   severity: medium
#   symptoms:
#     - "AuthorizationFailed: The client does not have authorization to perform action"
#   remediation:
#     - az role assignment create --assignee <scanning-identity> --role Reader --scope {resource_id}
package acr_audit.meta.acr_meta_001

import rego.v1

deny contains finding if {
	some e in input.errors
	finding := {
		"msg": sprintf(
			"Could not read %s at %s: %s%s — findings there may be missing (%s); the scanning identity needs %s there (Reader on it or its subscription grants it)",
			[e.resourceType, e.scope, status(e), e.message, consequence(e), permission(e)],
		),
		"resource": e.scope,
		"evidence": object.union(e, {"permission": permission(e)}),
	}
}

# The permission a read of each resource type needs; for the rest, `<type>/read` is the ARM action (which
# Reader grants through `*/read`). That includes the hub types, whose read actions the networking operations
# list spells exactly so (`Microsoft.Network/azureFirewalls/read`, `.../firewallPolicies/ruleCollectionGroups/read`,
# `.../dnsResolvers/inboundEndpoints/read`, `.../dnsForwardingRulesets/virtualNetworkLinks/read`, ...:
# https://learn.microsoft.com/azure/role-based-access-control/permissions/networking); the collector reads them
# with GETs only.
permissions := {
	"microsoft.authorization/roleassignments": "Microsoft.Authorization/roleAssignments/read",
	"microsoft.authorization/roledefinitions": "Microsoft.Authorization/roleDefinitions/read",
	"microsoft.containerregistry/registries/usages": "Microsoft.ContainerRegistry/registries/listUsages/read",
	"microsoft.network/servicetags": "Microsoft.Network/locations/serviceTags/read",
	"microsoft.resources/providers": "Microsoft.Resources/subscriptions/providers/read",
}

permission(e) := permissions[lower(e.resourceType)]

permission(e) := sprintf("%s/read", [e.resourceType]) if not permissions[lower(e.resourceType)]

# What stays unknown when a type could not be read. A firewall, its policy (or a base policy), a rule collection
# group or an IP group a rule names: whether the firewall on the path allows the pull. A resolver, its endpoints,
# a forwarding ruleset, its rules or VNet links: what the custom DNS chain answers for the registry.
consequences := {
	"microsoft.authorization/roleassignments": "whether clients may pull there is unknown, not denied",
	"microsoft.authorization/roledefinitions": "whether clients may pull there is unknown, not denied",
	"microsoft.network/azurefirewalls": firewall_unknown,
	"microsoft.network/firewallpolicies": firewall_unknown,
	"microsoft.network/firewallpolicies/rulecollectiongroups": firewall_unknown,
	"microsoft.network/ipgroups": firewall_unknown,
	"microsoft.network/dnsresolvers": dns_chain_unknown,
	"microsoft.network/dnsresolvers/inboundendpoints": dns_chain_unknown,
	"microsoft.network/dnsresolvers/outboundendpoints": dns_chain_unknown,
	"microsoft.network/dnsforwardingrulesets": dns_chain_unknown,
	"microsoft.network/dnsforwardingrulesets/forwardingrules": dns_chain_unknown,
	"microsoft.network/dnsforwardingrulesets/virtualnetworklinks": dns_chain_unknown,
}

firewall_unknown := "the firewall hop of paths through an Azure Firewall there is unknown, not denied"

dns_chain_unknown := "the DNS chain of VNets whose DNS servers resolve through there is unknown, not wrong"

consequence(e) := consequences[lower(e.resourceType)]

consequence(e) := "rules stay silent on what was not read" if not consequences[lower(e.resourceType)]

deny contains finding if {
	some c in input.clients
	is_string(c.subnets_unknown)
	some pair in input.pairs
	pair.client == c.id
	finding := {
		"msg": sprintf("Could not tell the node subnets of %s: %s — its paths to %s are not analysed", [c.name, c.subnets_unknown, pair.registry_name]),
		"resource": c.id,
		"registry": pair.registry,
		"client": c.id,
		"evidence": {"subnets_unknown": c.subnets_unknown, "subnet_ids": c.subnet_ids},
	}
}

status(e) := sprintf("%v %v: ", [e.status, object.get(e, "code", "")]) if e.status

status(e) := "" if not e.status
