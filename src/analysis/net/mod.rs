//! Network maths, shared by the hops of the path analysis: address sets of both families ([`ipset`]), service
//! tags and the symbolic prefixes NSG rules use ([`tags`]), NSG rule evaluation ([`nsg`]), effective routes with
//! longest-prefix match ([`routes`]) and the private endpoint host routes a VNet sees ([`endpoint_routes`]).
//! Pure functions over the model; nothing here knows about paths or rules.

pub mod azure_firewall;
pub mod endpoint_routes;
pub mod ipset;
pub mod nsg;
pub mod routes;
pub mod tags;
