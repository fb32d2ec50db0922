package acr_audit.network.acr_net_008_test

import data.acr_audit.network.acr_net_008 as check
import rego.v1

inp(sync) := {"pairs": [{"client": "/c", "client_name": "aks", "registry": "/r", "registry_name": "contoso", "private_endpoints": [{
	"private_endpoint": "/pe", "client_vnet": "/v/spoke", "endpoint_vnet": "/v/hub",
	"peering": {"status": "peered", "local": {"id": "/v/spoke/virtualNetworkPeerings/to-hub", "state": "Connected", "sync_level": sync}, "remote": null},
}]}]}

test_fires_when_not_in_sync if {
	count(check.deny) == 1 with input as inp("RemoteNotInSync")
}

test_silent_when_in_sync if {
	check.deny == set() with input as inp("FullyInSync")
}
