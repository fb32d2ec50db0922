//! ACR tasks (`Microsoft.ContainerRegistry/registries/tasks`) as consumers of the registry they belong to.
//!
//! A task signs in to its own registry with the run's token, so it has no sign-in entry; its `step.imageNames`
//! are the images it builds and pushes there. It runs on an agent pool when `agentPoolName` names one: the pool's
//! `virtualNetworkSubnetResourceId` puts the agents in that subnet ("Assign an agent pool to an Azure VNet,
//! providing access to resources in the VNet such as a container registry",
//! <https://learn.microsoft.com/azure/container-registry/tasks-agent-pools>), and the pair gets path analysis
//! from it. Without a pool (or on a pool outside a VNet) the task runs on shared agents and reaches the
//! registry from the public network; whether the registry's network rules let it in is
//! [`crate::analysis::public_pull`]'s question (`networkRuleBypassAllowedForTasks`).

use super::identity::{identity_facts, set};
use super::{Consumer, PullFrom};
use crate::analysis::egress::last;
use crate::analysis::facts::{ClientFacts, ClientKind};
use crate::model::{Model, Registry, RegistryTask};

/// The child type of a registry's agent pools.
const POOLS_TYPE: &str = "Microsoft.ContainerRegistry/registries/agentPools";

/// A task as a consumer of `registry`.
pub(super) fn facts(model: &Model, registry: &Registry, task: &RegistryTask) -> ClientFacts {
    let images = task
        .properties
        .step
        .as_ref()
        .map(|s| s.image_names.iter().filter_map(|i| set(Some(i.as_str()))).map(str::to_string).collect())
        .unwrap_or_default();
    Consumer {
        id: task.id.clone(),
        name: task.name.clone(),
        kind: ClientKind::Task,
        location: registry.location.clone(),
        images,
        images_unknown: None,
        identity: identity_facts(task.identity.as_ref()),
        registry_logins: vec![],
        pull: pull_network(model, registry, task),
        parent: Some(registry.id.clone()),
    }
    .into_facts(model)
}

const SHARED_AGENTS: &str = "the task runs on shared ACR agents, whose addresses ARM does not show";

fn pull_network(model: &Model, registry: &Registry, task: &RegistryTask) -> PullFrom {
    let Some(pool_name) = set(task.properties.agent_pool_name.as_deref()) else {
        return PullFrom::Public {
            egress_ips: vec![],
            egress_unknown: Some(SHARED_AGENTS.into()),
            reason: "no agentPoolName: the task runs on shared agents outside any VNet".into(),
        };
    };
    let pools = model.agent_pools(&registry.id);
    let pool = pools.and_then(|p| p.iter().find(|p| p.name.eq_ignore_ascii_case(pool_name)));
    let Some(pool) = pool else {
        let why = if pools.is_none() || model.unread(&registry.id, POOLS_TYPE) {
            format!("the agent pools of registry {} could not be read", registry.name)
        } else {
            format!("registry {} has no agent pool {pool_name}", registry.name)
        };
        return PullFrom::Unknown { reason: format!("the task runs on agent pool {pool_name}, and {why}") };
    };
    match set(pool.properties.virtual_network_subnet_resource_id.as_deref()) {
        Some(subnet) => PullFrom::Vnet {
            subnet: subnet.to_string(),
            reason: format!(
                "the task runs on agent pool {} in subnet {} (virtualNetworkSubnetResourceId)",
                pool.name,
                last(subnet)
            ),
            no_nat: format!(
                "subnet {} of agent pool {} has no NAT gateway: the agents' outbound public address is not known from ARM",
                last(subnet),
                pool.name
            ),
        },
        None => PullFrom::Public {
            egress_ips: vec![],
            egress_unknown: Some(format!("agent pool {} is not in a VNet: its addresses are not in ARM", pool.name)),
            reason: format!("agent pool {} has no virtualNetworkSubnetResourceId: it runs outside any VNet", pool.name),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_model::model;
    use super::*;
    use crate::analysis::facts::PullNetwork;
    use serde_json::{json, Value};

    const REG: &str = "/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.ContainerRegistry/registries/myRegistry";
    const SUBNET: &str = "/subscriptions/4385cf00-2d3a-425a-832f-f4285b1c9dce/resourceGroups/myResourceGroup/providers/Microsoft.Network/virtualNetworks/vnet/subnets/agents";

    /// A task shaped like `TasksList.json` (2019-06-01-preview), with `agentPoolName` from the TaskProperties
    /// model.
    fn task(pool: Option<&str>) -> Value {
        let mut t = json!({
            "id": format!("{REG}/tasks/myTask"), "name": "myTask", "type": "Microsoft.ContainerRegistry/registries/tasks",
            "identity": {"principalId": "fa153151-b9fd-46f4-9088-5e6600f2689v", "tenantId": "f686d426-8d16-42db-81b7-abu4gm510ccd",
                "type": "SystemAssigned"},
            "properties": {"status": "Enabled", "platform": {"os": "Linux", "architecture": "amd64"},
                "agentConfiguration": {"cpu": 2},
                "step": {"type": "Docker", "imageNames": ["azurerest:testtag"], "dockerFilePath": "src/DockerFile"}}
        });
        if let Some(p) = pool {
            t["properties"]["agentPoolName"] = json!(p);
        }
        t
    }

    /// Agent pools shaped like `AgentPoolsList.json` (2019-06-01-preview), one with the model's
    /// `virtualNetworkSubnetResourceId`.
    fn pools() -> Value {
        json!([
            {"id": format!("{REG}/agentPools/vnetpool"), "name": "vnetpool", "type": "Microsoft.ContainerRegistry/registries/agentPools",
             "location": "WESTUS", "properties": {"count": 1, "tier": "S1", "os": "linux", "provisioningState": "Succeeded",
                "virtualNetworkSubnetResourceId": SUBNET}},
            {"id": format!("{REG}/agentPools/plainpool"), "name": "plainpool", "location": "WESTUS",
             "properties": {"count": 1, "tier": "S1", "os": "linux", "provisioningState": "Succeeded"}}
        ])
    }

    fn one(task: Value, pools: Option<Value>, errors: Value) -> ClientFacts {
        let mut children =
            json!({"Microsoft.ContainerRegistry/registries/tasks": [{"parentId": REG, "value": [task]}]});
        if let Some(p) = pools {
            children["Microsoft.ContainerRegistry/registries/agentPools"] = json!([{"parentId": REG, "value": p}]);
        }
        let m = model(
            json!({"Microsoft.ContainerRegistry/registries": [{"id": REG, "name": "myRegistry", "location": "westus",
                "sku": {"name": "Premium"}, "properties": {}}]}),
            children,
            errors,
        );
        let all = super::super::consumer_facts(&m);
        assert_eq!(all.len(), 1);
        all.into_iter().next().unwrap()
    }

    #[test]
    fn a_task_belongs_to_its_registry_and_pushes_its_image_names() {
        let t = one(task(None), Some(pools()), json!([]));
        assert_eq!(t.kind, ClientKind::Task);
        assert_eq!(t.parent.as_deref(), Some(REG));
        assert_eq!(t.images, vec!["azurerest:testtag"]);
        assert!(t.registry_logins.is_empty());
        assert_eq!(
            t.identity.as_ref().unwrap().system_principal_id.as_deref(),
            Some("fa153151-b9fd-46f4-9088-5e6600f2689v")
        );
        assert_eq!(t.pull_network, PullNetwork::Public);
        assert!(t.egress_unknown.is_some());
    }

    #[test]
    fn the_agent_pool_decides_the_network() {
        let vnet = one(task(Some("VnetPool")), Some(pools()), json!([]));
        assert_eq!(vnet.pull_network, PullNetwork::Vnet);
        assert_eq!(vnet.subnet_ids, vec![SUBNET]);
        assert_eq!(one(task(Some("plainpool")), Some(pools()), json!([])).pull_network, PullNetwork::Public);
        let unread = json!([{"scope": REG, "resourceType": POOLS_TYPE, "status": 403, "message": "denied"}]);
        let u = one(task(Some("vnetpool")), None, unread);
        assert_eq!(u.pull_network, PullNetwork::Unknown);
        assert!(u.pull_network_reason.as_deref().unwrap().contains("could not be read"));
        let missing = one(task(Some("gone")), Some(pools()), json!([]));
        assert_eq!(missing.pull_network, PullNetwork::Unknown);
        assert!(missing.pull_network_reason.as_deref().unwrap().contains("no agent pool gone"));
    }
}
