//! Which client × registry pairs to analyse, and the check that every name the user gave (`--registry`,
//! `--client`, a `--pairs` file) names something in the snapshot. A typo must not turn into "No findings." and
//! exit 0: in CI that is a silent pass.

use super::facts::Facts;
use crate::model::id_key;

/// Which client × registry pairs to analyse. All empty means "infer" (see `docs/facts.md`).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Registry names or ids.
    pub registries: Vec<String>,
    /// Client (cluster, NIC, VM or subnet) names or ids.
    pub clients: Vec<String>,
    /// Explicit (client, registry) pairs, e.g. from a `--pairs` file.
    pub pairs: Vec<(String, String)>,
    /// The `--pairs` file the pairs came from, so an error about one of them names it.
    pub pairs_file: Option<std::path::PathBuf>,
}

impl Selection {
    /// Nothing named: pairs are inferred.
    pub fn is_empty(&self) -> bool {
        self.registries.is_empty() && self.clients.is_empty() && self.pairs.is_empty()
    }

    /// Every client named, directly or in a pair.
    pub fn named_clients(&self) -> Vec<String> {
        self.clients.iter().cloned().chain(self.pairs.iter().map(|(c, _)| c.clone())).collect()
    }
}

/// A name given on the command line or in a `--pairs` file that matches nothing in the snapshot.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{what} `{name}` is not in the snapshot (given with {given_with})\n  fix: {}", fix(.closest, .what))]
pub struct UnknownName {
    /// `registry` or `client`.
    pub what: &'static str,
    /// The name as given.
    pub name: String,
    /// `--registry`, `--client` or `--pairs FILE`.
    pub given_with: String,
    /// The closest known names, best first (at most three).
    pub closest: Vec<String>,
}

fn fix(closest: &[String], what: &str) -> String {
    match closest {
        [] => format!("the snapshot has no {what} to select; check that it is the right snapshot"),
        names => format!("did you mean {}?", names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")),
    }
}

impl Selection {
    /// The first name of the selection that matches no registry or client of `facts` (by name or id, any case).
    pub fn unknown_name(&self, facts: &Facts) -> Option<UnknownName> {
        let registries: Vec<(&str, &str)> = facts.registries.iter().map(|r| (r.name.as_str(), r.id.as_str())).collect();
        let clients: Vec<(&str, &str)> = facts.clients.iter().map(|c| (c.name.as_str(), c.id.as_str())).collect();
        let pairs_flag = match &self.pairs_file {
            Some(file) => format!("--pairs {}", file.display()),
            None => "--pairs".to_string(),
        };
        let pairs_flag = pairs_flag.as_str();
        let given =
            self.registries
                .iter()
                .map(|n| ("registry", n, "--registry", &registries))
                .chain(self.clients.iter().map(|n| ("client", n, "--client", &clients)))
                .chain(self.pairs.iter().flat_map(|(c, r)| {
                    [("client", c, pairs_flag, &clients), ("registry", r, pairs_flag, &registries)]
                }));
        for (what, name, given_with, known) in given {
            let found = known.iter().any(|(n, id)| n.eq_ignore_ascii_case(name) || id_key(id) == id_key(name));
            if !found {
                let given_with = given_with.to_string();
                return Some(UnknownName { what, name: name.clone(), given_with, closest: closest(name, known) });
            }
        }
        None
    }
}

/// Up to three known names nearest to `name` by edit distance (case-insensitive), nearest first, among those
/// close enough to be a plausible typo.
fn closest(name: &str, known: &[(&str, &str)]) -> Vec<String> {
    let wanted = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = known
        .iter()
        .map(|(n, _)| (strsim::levenshtein(&wanted, &n.to_ascii_lowercase()), *n))
        .filter(|(d, n)| *d <= (n.len().max(wanted.len()) / 2).max(2))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names_rank_typos_first_and_drop_strangers() {
        let known = [("contosoprodacr", "/r/1"), ("contosobuildacr", "/r/2"), ("fabrikam", "/r/3")];
        assert_eq!(closest("contosoprdacr", &known), vec!["contosoprodacr", "contosobuildacr"]);
        assert!(closest("zzzzzzzzzzzz", &known).is_empty());
    }
}
