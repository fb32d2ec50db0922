//! `explain`: rank the rules whose `symptoms` match a pasted error text.
//!
//! Error texts vary in the parts that identify an estate (IPs, registry names, quotes), so both sides are
//! normalised first: IPv4 addresses become `<private-ip>` / `<public-ip>` (placeholders in symptoms such as
//! `<acr-private-ip>` or `<storage-endpoint-ip>` map to the same tokens; a bare `<ip>` matches either), registry,
//! data-endpoint and storage host names become `<registry-host>`, `<data-host>`, `<storage-host>`. The score
//! of a symptom is the mean of its Dice coefficient with the text and the share of its tokens the text
//! contains; a rule's first symptom (its most typical) gets a small bonus.

use super::catalog::{Catalog, RuleFile};
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

/// One ranked rule.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Match<'a> {
    /// The rule.
    #[serde(skip)]
    pub rule: &'a RuleFile,
    /// Rule id.
    pub id: String,
    /// Score in 0..=1.05.
    pub score: f64,
    /// The symptom that matched best.
    pub symptom: String,
}

const STOP_WORDS: &[&str] = &["the", "a", "an", "to", "of", "with", "is", "on", "for", "while", "refer", "and", "or"];
const MIN_SCORE: f64 = 0.25;

fn is_private(ip: Ipv4Addr) -> bool {
    let o = ip.octets();
    ip.is_private() || (o[0] == 100 && (64..128).contains(&o[1])) || ip.is_loopback()
}

/// Normalise one word (already lower-case, split on whitespace and punctuation that never belongs to a token).
fn normalise_word(word: &str, out: &mut Vec<String>) {
    let w = word.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '<' && c != '>' && c != '*');
    if w.is_empty() {
        return;
    }
    // An address, with or without a port.
    let host = w.split(':').next().unwrap_or(w);
    if let Ok(ip) = host.parse::<Ipv4Addr>() {
        out.push(if is_private(ip) { "<private-ip>".into() } else { "<public-ip>".into() });
        out.push("<ip>".into());
        if let Some(port) = w.split(':').nth(1) {
            out.push(port.to_string());
        }
        return;
    }
    if w.starts_with('<') && w.contains("ip>") {
        out.push(if w.contains("private") {
            "<private-ip>".into()
        } else if w == "<ip>" || w.contains("dns") {
            "<ip>".into()
        } else {
            "<public-ip>".into()
        });
        if let Some(port) = w.split(':').nth(1) {
            out.push(port.to_string());
        }
        return;
    }
    for suffix in ["azurecr.io", "azurecr.cn", "azurecr.us"] {
        if host.ends_with(suffix) && host.len() > suffix.len() {
            out.push(if host.contains(".data.") { "<data-host>".into() } else { "<registry-host>".into() });
            return;
        }
    }
    if host.contains("blob.core.") {
        out.push("<storage-host>".into());
        return;
    }
    for part in w.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '<' || c == '>' || c == '-')) {
        let p = part.trim_matches('-');
        if !p.is_empty() && !STOP_WORDS.contains(&p) {
            out.push(p.to_string());
        }
    }
}

/// The token set of a text.
pub fn tokens(text: &str) -> BTreeSet<String> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for word in lower
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '(' | ')' | '{' | '}' | '[' | ']' | ',' | '`'))
    {
        normalise_word(word, &mut out);
    }
    out.into_iter().collect()
}

fn score(text: &BTreeSet<String>, symptom: &BTreeSet<String>) -> f64 {
    if symptom.is_empty() || text.is_empty() {
        return 0.0;
    }
    let common = symptom.intersection(text).count() as f64;
    let dice = 2.0 * common / (symptom.len() + text.len()) as f64;
    let coverage = common / symptom.len() as f64;
    (dice + coverage) / 2.0
}

/// Rank the catalogue's rules against an error text; best first, weak matches dropped.
pub fn explain<'a>(catalog: &'a Catalog, text: &str) -> Vec<Match<'a>> {
    let input = tokens(text);
    let mut matches: Vec<Match<'a>> = catalog
        .rules
        .iter()
        .filter_map(|rule| {
            rule.meta
                .symptoms
                .iter()
                .enumerate()
                .map(|(i, s)| (score(&input, &tokens(s)) + if i == 0 { 0.05 } else { 0.0 }, s))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(sc, _)| *sc >= MIN_SCORE)
                .map(|(sc, s)| Match {
                    rule,
                    id: rule.meta.id.clone(),
                    score: (sc * 1000.0).round() / 1000.0,
                    symptom: s.clone(),
                })
        })
        .collect();
    matches.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then(b.rule.meta.severity.cmp(&a.rule.meta.severity)).then(a.id.cmp(&b.id))
    });
    matches
}

#[cfg(test)]
mod tests {
    use super::tokens;

    #[test]
    fn addresses_and_hosts_are_normalised() {
        let t = tokens("dial tcp 10.0.1.5:443: i/o timeout");
        assert!(t.contains("<private-ip>") && t.contains("443") && t.contains("i/o") && t.contains("timeout"), "{t:?}");
        let s = tokens("dial tcp <acr-private-ip>:443: i/o timeout");
        assert!(s.is_subset(&t), "{s:?} vs {t:?}");
        let t = tokens("lookup contoso.eastus.data.azurecr.io on 20.1.2.3:53");
        assert!(t.contains("<data-host>") && t.contains("<public-ip>"), "{t:?}");
    }
}
