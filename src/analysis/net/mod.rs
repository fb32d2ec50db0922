//! Network maths, shared by the hops of the path analysis: address sets ([`ipset`]), service tags and the
//! symbolic prefixes NSG rules use ([`tags`]), NSG rule evaluation ([`nsg`]) and effective routes with
//! longest-prefix match ([`routes`]). Pure functions over the model; nothing here knows about paths or rules.

pub mod ipset;
pub mod nsg;
pub mod routes;
pub mod tags;
