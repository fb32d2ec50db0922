//! Lenient serde views over ARM JSON: only the fields acr-audit reasons about, with ARM's documented defaults.
//!
//! Unknown fields are dropped while parsing, so a view is smaller than the JSON it came from. Fields without
//! which an answer would be wrong rather than incomplete (an id, an NSG rule's priority) are required; the rest
//! default. Each view derives its JSON Schema, from which `docs/snapshot.schema.json` is generated.

mod authorization;
mod common;
mod compute;
mod consumers;
mod dns;
mod dns_resolver;
mod firewall;
mod network;
mod registry;
mod resources;
mod service_tags;

pub use authorization::*;
pub use common::*;
pub use compute::*;
pub use consumers::*;
pub use dns::*;
pub use dns_resolver::*;
pub use firewall::*;
pub use network::*;
pub use registry::*;
pub use resources::*;
pub use service_tags::*;
