# Shared helpers for the built-in rules. A library, not a rule: packages under acr_audit.lib carry no METADATA.
package acr_audit.lib.helpers

import rego.v1

# The last segment of an ARM id: the resource's own name.
last(id) := parts[count(parts) - 1] if parts := split(id, "/")

# A resource type that could not be read when the snapshot was collected: rules about it stay silent.
unread(resource_type) if lower(resource_type) in input.unread_types

has_approved_private_endpoint(reg) if {
	some c in reg.private_endpoint_connections
	c.status == "Approved"
}

# The registry restricts network access: selected networks, public access off, or private endpoints.
network_restricted(reg) if reg.default_action == "Deny"

network_restricted(reg) if reg.public_network_access == "Disabled"

network_restricted(reg) if count(reg.private_endpoint_connections) > 0

# Lookups by id go through indexes built once per rule evaluation, not through a scan per lookup: rules that
# join paths with registries or clients stay linear in the size of the estate.
registry_index := {lower(reg.id): reg | some reg in input.registries}

client_index := {lower(c.id): c | some c in input.clients}

registry_by_id(id) := registry_index[lower(id)]

client_by_id(id) := client_index[lower(id)]
