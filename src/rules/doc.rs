//! The rule reference (`docs/rules.md`), generated from each rule's metadata: the metadata is its only source.

use super::catalog::Catalog;
use std::fmt::Write;

/// Markdown for every rule of the catalogue.
pub fn rules_markdown(catalog: &Catalog) -> String {
    let mut out = String::new();
    out.push_str("# Rule reference\n\n");
    out.push_str("Generated from the rules' `# METADATA` by `acr-audit rules doc > docs/rules.md`; a test fails when it is out of date.\n\n");
    out.push_str("| id | severity | title |\n|---|---|---|\n");
    for r in &catalog.rules {
        let anchor = r.meta.id.to_ascii_lowercase();
        let _ = writeln!(out, "| [{}](#{anchor}) | {} | {} |", r.meta.id, r.meta.severity, r.meta.title);
    }
    for r in &catalog.rules {
        let m = &r.meta;
        let _ = writeln!(
            out,
            "\n## {}\n\n**{}** · severity `{}` · {:?} · `{}`\n",
            m.id, m.title, m.severity, m.status, r.source.name
        );
        if !m.description.is_empty() {
            // Demote the description's headings below the rule's own.
            for line in m.description.lines() {
                match line.strip_prefix("## ") {
                    Some(h) => {
                        let _ = writeln!(out, "#### {h}");
                    }
                    None => {
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
            out.push('\n');
        }
        if !m.symptoms.is_empty() {
            out.push_str("#### Symptoms\n\n");
            for s in &m.symptoms {
                let _ = writeln!(out, "- `{}`", s.replace('`', "'"));
            }
            out.push('\n');
        }
        if !m.remediation.is_empty() {
            out.push_str("#### Remediation\n\n```sh\n");
            for c in &m.remediation {
                let _ = writeln!(out, "{c}");
            }
            out.push_str("```\n\n");
        }
        for (kind, commands) in &m.remediation_by_kind {
            let _ = writeln!(out, "#### Remediation for `{kind}` clients\n\n```sh");
            for c in commands {
                let _ = writeln!(out, "{c}");
            }
            out.push_str("```\n\n");
        }
        if !m.references.is_empty() {
            out.push_str("#### References\n\n");
            for u in &m.references {
                let _ = writeln!(out, "- {u}");
            }
        }
    }
    out
}
