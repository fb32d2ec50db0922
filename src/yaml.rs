//! A nesting bound for the YAML acr-audit reads (`--suppressions`, `--pairs`, rule `# METADATA`).
//!
//! The YAML parser's time grows with the square of the nesting depth (20,000 levels took 14 s), and these files
//! can come from anyone who can open a pull request. Real ones nest three or four levels, so anything deeper
//! than [`MAX_YAML_DEPTH`] is refused before parsing, naming the line where the bound was passed.

/// The deepest nesting accepted: block indentation levels, compact `- - -` sequences and flow `[` `{` together.
pub const MAX_YAML_DEPTH: usize = 64;

/// The 1-based line where `text` first nests deeper than `max`, or `None` when it stays within it.
///
/// An estimate that never undercounts real nesting: each deeper indentation opens a level (closed again when a
/// line dedents past it), each leading `- ` opens one, and each open bracket outside quotes opens one until
/// closed. Comments and quoted text do not count.
pub fn too_deep(text: &str, max: usize) -> Option<usize> {
    let mut indents: Vec<usize> = Vec::new();
    let mut flow = 0usize;
    for (n, line) in text.lines().enumerate() {
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        while indents.last().is_some_and(|&top| top > indent) {
            indents.pop();
        }
        if indents.last().map_or(true, |&top| top < indent) {
            indents.push(indent);
        }
        let mut rest = content;
        let mut dashes = 0;
        while let Some(after) = rest.strip_prefix("- ").or_else(|| (rest == "-").then_some("")) {
            dashes += 1;
            rest = after.trim_start_matches(' ');
        }
        let mut quote: Option<char> = None;
        let mut deepest_flow = flow;
        for c in rest.chars() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '#') => break,
                (None, '[' | '{') => {
                    flow += 1;
                    deepest_flow = deepest_flow.max(flow);
                }
                (None, ']' | '}') => flow = flow.saturating_sub(1),
                _ => {}
            }
        }
        if indents.len() + dashes + deepest_flow > max {
            return Some(n + 1);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_files_pass_and_deep_ones_name_their_line() {
        let ok = "pairs:\n  - client: aks\n    registry: acr  # comment [[[[\n  - {client: a, registry: \"b[[[\"}\n";
        assert_eq!(too_deep(ok, 4), None);
        let indented: String = (0..100).map(|i| format!("{}- \n", " ".repeat(i))).collect();
        assert_eq!(too_deep(&indented, 64), Some(64), "line n opens n indentation levels, plus its dash");
        let compact = format!("x: {}1\n", "- ".repeat(70));
        assert!(too_deep(&compact, 64).is_none(), "dashes after a key are text, not nesting");
        let compact = format!("{}1\n", "- ".repeat(70));
        assert_eq!(too_deep(&compact, 64), Some(1));
        let flow = format!("a: {}{}\n", "[".repeat(70), "]".repeat(70));
        assert_eq!(too_deep(&flow, 64), Some(1));
        let dedent = "a:\n  b:\n    c: 1\nd:\n  e: 2\n";
        assert_eq!(too_deep(dedent, 3), None);
    }
}
