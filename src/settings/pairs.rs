//! The `--pairs FILE` format: `pairs: [{client, registry}]` in YAML, read into the explicit pairs of a
//! [`Selection`](crate::analysis::Selection). This module owns that file's shape and its error messages; it does
//! not decide what a name matches (that is the analysis's job).

use std::path::Path;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PairsFile {
    pairs: Vec<PairEntry>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PairEntry {
    client: String,
    registry: String,
}

/// Read a pairs file into `(client, registry)` names or ids, in file order. The error names the file and says
/// how to fix it, since the file is written by hand.
pub fn read_pairs(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot read the pairs file: {e}", path.display()))?;
    parse_pairs(&text, path)
}

/// [`read_pairs`] on text already read; `path` only names the file in errors.
pub(crate) fn parse_pairs(text: &str, path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    if let Some(line) = crate::yaml::too_deep(text, crate::yaml::MAX_YAML_DEPTH) {
        anyhow::bail!(
            "{}:{line}: the YAML nests deeper than {} levels\n  fix: a pairs file is `pairs:` followed by flat entries with `client:` and `registry:`",
            path.display(),
            crate::yaml::MAX_YAML_DEPTH
        );
    }
    let file: PairsFile = yaml_serde::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {e}\n  fix: the file is `pairs:` followed by entries with `client:` and `registry:` (names or resource ids)",
            path.display()
        )
    })?;
    Ok(file.pairs.into_iter().map(|p| (p.client, p.registry)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_in_order_and_rejects_unknown_keys() {
        let p = Path::new("pairs.yaml");
        let pairs = parse_pairs("pairs:\n  - {client: aks, registry: acr1}\n  - {client: vm, registry: acr2}\n", p);
        assert_eq!(
            pairs.ok(),
            Some(vec![("aks".to_string(), "acr1".to_string()), ("vm".to_string(), "acr2".to_string())])
        );
        let err = parse_pairs("pairs:\n  - {client: aks, registry: acr1, port: 443}\n", p).err().map(|e| e.to_string());
        assert!(err.is_some_and(|e| e.starts_with("pairs.yaml: ") && e.contains("fix: the file is `pairs:`")));
    }
}
