package acr_audit.network.acr_net_003_test

import data.acr_audit.network.acr_net_003 as check
import rego.v1

path(hop_type, origin) := {
	"client": "/c/aks", "client_name": "aks", "registry": "/r/contoso",
	"endpoint": {"kind": "storage", "fqdn": "*.blob.core.windows.net"},
	"route": {"hops": [{"next_hop_type": hop_type, "origin": origin, "route": "/rt/routes/blackhole", "route_name": "blackhole", "address_prefix": "Storage.EastUS", "coverage": "all", "examples": ["20.60.0.0/19"]}]},
}

test_fires_on_a_user_none_route if {
	count(check.deny) == 1 with input as {"paths": [path("None", "user_service_tag")]}
}

test_silent_on_internet if {
	check.deny == set() with input as {"paths": [path("Internet", "user")]}
}

test_silent_on_system_none_routes if {
	check.deny == set() with input as {"paths": [path("None", "system")]}
}
