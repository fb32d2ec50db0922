//! [`Model`]: the snapshot's typed resources plus lookup tables by lower-cased ARM id.
//!
//! The model takes ownership of the snapshot's vectors (no copy) and adds `HashMap<id, position>` indexes, so
//! lookups are O(1) and case-insensitive, as ARM ids are. Its fields, index and getters are generated from the
//! resource-type table (`acr_audit_snapshot::with_resource_types!`): a new type in the table is a new field and
//! getter here with no edit.

use super::{ServiceTag, ServiceTagsList, Subnet, VirtualNetwork};
use acr_audit_snapshot::ids::{id_key, vnet_key_of_subnet};
use acr_audit_snapshot::views::*;
use acr_audit_snapshot::{ArmError, ChildCollection, Metadata, Snapshot};
use std::collections::HashMap;

/// A subnet found by id: its VNet and its position inside it.
#[derive(Debug, Clone, Copy)]
pub struct SubnetRef<'a> {
    /// The VNet holding it.
    pub vnet: &'a VirtualNetwork,
    /// The subnet.
    pub subnet: &'a Subnet,
}

/// Groups a child type's collections by lower-cased parent id.
fn by_parent<T>(collections: Vec<ChildCollection<T>>) -> HashMap<String, Vec<T>> {
    let mut out: HashMap<String, Vec<T>> = HashMap::new();
    for c in collections {
        out.entry(id_key(&c.parent_id)).or_default().extend(c.value);
    }
    out
}

/// Generates [`Model`], its resource kinds, its index and one getter per resource and child type.
macro_rules! define_model {
    (
        resources { $(
            $field:ident : $view:ident => $key:literal { getter: $getter:ident, $($_r:tt)* }
        ),* $(,)? }
        children { $(
            $cfield:ident : $cview:ident => $ckey:literal { getter: $cgetter:ident, $($_c:tt)* }
        ),* $(,)? }
    ) => {
        /// Typed, indexed view of one snapshot.
        #[derive(Debug, Default)]
        pub struct Model {
            /// Snapshot metadata.
            pub metadata: Metadata,
            /// Collection errors.
            pub errors: Vec<ArmError>,
            $(#[doc = concat!("`", $key, "`.")] pub $field: Vec<$view>,)*
            /// Service tags, de-duplicated by name (several regional responses carry the same global list).
            pub service_tags: Vec<ServiceTag>,
            /// Types the snapshot carried that this build skipped.
            pub unknown_types: Vec<String>,
            children: ChildIndex,
            index: HashMap<String, (Kind, usize)>,
            subnet_index: HashMap<String, (usize, usize)>,
            service_tag_index: HashMap<String, usize>,
        }

        /// Child collections by lower-cased parent id, one map per child type.
        #[derive(Debug, Default)]
        struct ChildIndex {
            $($cfield: HashMap<String, Vec<$cview>>,)*
        }

        /// Which vector of the model an indexed id points into.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        #[allow(non_camel_case_types)]
        enum Kind {
            $($field,)*
        }

        impl Model {
            /// Build the model from a parsed snapshot, taking ownership of its vectors.
            pub fn from_snapshot(snapshot: Snapshot) -> Model {
                let Snapshot { metadata, resources, children, service_tags, errors, .. } = snapshot;
                let mut unknown_types = resources.unknown_types;
                unknown_types.extend(children.unknown_types.iter().cloned());
                let mut model = Model {
                    metadata,
                    errors,
                    $($field: resources.$field,)*
                    unknown_types,
                    children: ChildIndex { $($cfield: by_parent(children.$cfield),)* },
                    ..Model::default()
                };
                model.take_service_tags(service_tags);
                let mut index = HashMap::new();
                $(
                    for (i, item) in model.$field.iter().enumerate() {
                        index.insert(id_key(&item.id), (Kind::$field, i));
                    }
                )*
                model.index = index;
                model.build_subnet_index();
                model
            }

            $(
                #[doc = concat!("A `", $key, "` by id (any case).")]
                pub fn $getter(&self, id: &str) -> Option<&$view> {
                    match self.index.get(&id_key(id)) {
                        Some((Kind::$field, i)) => self.$field.get(*i),
                        _ => None,
                    }
                }
            )*

            $(
                #[doc = concat!("The `", $ckey, "` collection read under a parent (any case); `None` when it was not read.")]
                pub fn $cgetter(&self, parent_id: &str) -> Option<&[$cview]> {
                    self.children.$cfield.get(&id_key(parent_id)).map(Vec::as_slice)
                }
            )*
        }
    };
}

acr_audit_snapshot::with_resource_types!(define_model);

impl Model {
    fn take_service_tags(&mut self, lists: Vec<ServiceTagsList>) {
        for list in lists {
            for tag in list.values {
                let key = tag.name.to_ascii_lowercase();
                if !self.service_tag_index.contains_key(&key) {
                    self.service_tag_index.insert(key, self.service_tags.len());
                    self.service_tags.push(tag);
                }
            }
        }
    }

    fn build_subnet_index(&mut self) {
        for (v, vnet) in self.virtual_networks.iter().enumerate() {
            for (s, subnet) in vnet.properties.subnets.iter().enumerate() {
                self.subnet_index.insert(id_key(&subnet.id), (v, s));
            }
        }
    }

    /// Number of ARM resources held. Provider registrations are registration states, not resources, and are not
    /// counted.
    pub fn resource_count(&self) -> usize {
        self.index.len() - self.providers.len()
    }

    /// The subscriptions (lower-cased ids) of every resource held, for checking a subscription a user names.
    pub fn subscription_ids(&self) -> std::collections::BTreeSet<String> {
        self.index.keys().filter_map(|id| crate::snapshot::ids::parse_resource_id(id).subscription).collect()
    }

    /// A subnet by id, with its VNet.
    pub fn subnet(&self, id: &str) -> Option<SubnetRef<'_>> {
        let (v, s) = *self.subnet_index.get(&id_key(id))?;
        let vnet = &self.virtual_networks[v];
        Some(SubnetRef { vnet, subnet: &vnet.properties.subnets[s] })
    }

    /// The VNet of a subnet id, whether or not the subnet itself is listed.
    pub fn vnet_of_subnet(&self, subnet_id: &str) -> Option<&VirtualNetwork> {
        self.virtual_network(&vnet_key_of_subnet(subnet_id)?)
    }

    /// A service tag by name (case-insensitive).
    pub fn service_tag(&self, name: &str) -> Option<&ServiceTag> {
        self.service_tag_index.get(&name.to_ascii_lowercase()).map(|&i| &self.service_tags[i])
    }

    /// Collection errors whose scope covers `id` (the error's scope is a prefix of the id) and whose resource
    /// type matches `resource_type` (case-insensitive). Rules use this to stay silent on unread data.
    pub fn unread(&self, id: &str, resource_type: &str) -> bool {
        let key = id_key(id);
        self.errors
            .iter()
            .any(|e| e.resource_type.eq_ignore_ascii_case(resource_type) && key.starts_with(&id_key(&e.scope)))
    }
}
