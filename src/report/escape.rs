//! Escaping of data for every output kind, in one place.
//!
//! Resource names, ids, messages and error texts come from ARM, which means from whoever can name a resource in
//! the audited subscriptions. Every report format that a person reads (or that a program parses) passes that text
//! through exactly one function of this module for its output kind:
//!
//! | output kind | function |
//! |---|---|
//! | terminal text (table, trace, explain, diff, stderr) | [`terminal`], [`terminal_lines`], [`table_cell`] |
//! | Markdown inline text and table cells | [`markdown_inline`] |
//! | Markdown code spans | [`markdown_code_span`] |
//! | Markdown raw HTML blocks (`<summary>`) | [`markdown_html`] |
//! | Markdown fenced code blocks | [`markdown_fence`], [`fence_line`] |
//! | mermaid labels and node ids | [`mermaid_label`], [`mermaid_id`] |
//! | XML (JUnit) text | [`xml_text`] |
//! | POSIX shell words (remediation commands) | `crate::rules::shell::shell_word` (the rules fill the commands in) |
//!
//! Escapes are visible (`\u{1b}`), never silent deletions, so a reader sees that a name held something odd.
//! Text without anything to escape is returned borrowed and unchanged, so ordinary reports stay byte-identical.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Longest table cell, in characters, before it is cut with a visible `… (N more characters)` marker. The table
/// layout (comfy-table) wraps cells in time quadratic in their length; 2,000 characters is far beyond any real
/// message and keeps a hostile megabyte-long name from stalling the report.
pub const MAX_CELL_CHARS: usize = 2_000;

/// Characters that change how surrounding text is displayed without being visible themselves: bidirectional
/// embeddings, overrides and isolates ("Trojan Source"), zero-width characters, line and paragraph separators,
/// the byte-order mark and interlinear annotations; plus the noncharacters U+FFFE and U+FFFF.
fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061C}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
            | '\u{FFFE}'
            | '\u{FFFF}'
    )
}

/// Whether a terminal would act on `c` rather than print it: C0 and C1 controls (ESC starts colour, cursor and
/// OSC 8 hyperlink sequences; CR rewrites the line), DEL, and the invisible formatting characters above.
fn is_terminal_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Append the visible escape of `c`: `\n`, `\r`, `\t`, else `\u{hex}` as Rust writes it.
fn push_escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        _ => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
    }
}

/// Replace each character `unsafe_char` selects by its visible escape; borrow when there is none.
fn escape_visible(s: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(&unsafe_char) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if unsafe_char(c) {
            push_escape(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Data for a terminal (or a text file someone will `cat`): every control character, newlines included, and
/// every bidirectional or invisible formatting character becomes a visible escape. Use it on each value taken
/// from a snapshot; the report's own line breaks are written around it.
pub fn terminal(s: &str) -> Cow<'_, str> {
    escape_visible(s, is_terminal_unsafe)
}

/// Multi-line text the tool composed (an error message and its `fix:` line) that quotes data: like
/// [`terminal`], but the line feeds stay line feeds. Carriage returns do not: a bare CR would let quoted data
/// overwrite the start of the line.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    escape_visible(s, |c| c != '\n' && is_terminal_unsafe(c))
}

/// [`terminal`], then cut to [`MAX_CELL_CHARS`]: one cell of a comfy-table.
pub fn table_cell(s: &str) -> Cow<'_, str> {
    match terminal(s) {
        Cow::Borrowed(b) => truncate(b, MAX_CELL_CHARS),
        Cow::Owned(o) => Cow::Owned(truncate(&o, MAX_CELL_CHARS).into_owned()),
    }
}

/// Cut `s` to `max` characters, saying how many were left out.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => {
            let rest = s[cut..].chars().count();
            Cow::Owned(format!("{}… ({rest} more characters)", &s[..cut]))
        }
    }
}

/// Text inside a Markdown paragraph or GFM table cell, read by CommonMark/GFM renderers (GitHub step summaries,
/// PR comments): nothing in it may start markup. Backslash-escaped: `\` `` ` `` `*` `_` `[` `]` `|` `~`, a `#`,
/// `+`, `-` or `=` that opens the text; HTML-escaped: `&` `<` `>` (no raw HTML from data); line breaks
/// become `<br>` (they would end a table row or start a heading); other controls and bidi characters become
/// visible escapes.
///
/// One exception keeps ordinary text readable: a `*` that starts a word and is followed by `.` (a wildcard
/// domain, `*.blob.core.windows.net`) stays as it is. Such a `*` can open emphasis but never close it, and every
/// other `*` is escaped, so it can never be paired.
pub fn markdown_inline(s: &str) -> Cow<'_, str> {
    let special = |c: char| "\\`*_[]|~&<>\r\n".contains(c) || is_terminal_unsafe(c);
    let starts_block = s.starts_with(['#', '+', '-', '=']);
    if !starts_block && !s.chars().any(special) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\r' if next == Some('\n') => {}
            '\n' | '\r' => out.push_str("<br>"),
            '*' if prev.map_or(true, char::is_whitespace) && next == Some('.') => out.push('*'),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '+' | '-' | '=' if prev.is_none() => {
                out.push('\\');
                out.push(c);
            }
            c if is_terminal_unsafe(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
        prev = Some(c);
    }
    Cow::Owned(out)
}

/// A Markdown code span holding `s`, delimiters included. Backslash escapes do not work inside code spans, so
/// the delimiter is one backtick longer than the longest backtick run in `s` (padded with spaces when `s` starts
/// or ends with a backtick), `|` is escaped as GFM tables require even inside code, and line breaks, controls
/// and bidi characters become visible escapes (a code span cannot hold a line break in a table).
pub fn markdown_code_span(s: &str) -> String {
    let body = escape_visible(s, is_terminal_unsafe);
    let body = if body.contains('|') { Cow::Owned(body.replace('|', "\\|")) } else { body };
    let ticks = "`".repeat(longest_run(&body, '`') + 1);
    let pad = if body.starts_with('`') || body.ends_with('`') { " " } else { "" };
    format!("{ticks}{pad}{body}{pad}{ticks}")
}

/// The longest run of `c` in `s`.
fn longest_run(s: &str, c: char) -> usize {
    let (mut best, mut run) = (0, 0);
    for x in s.chars() {
        run = if x == c { run + 1 } else { 0 };
        best = best.max(run);
    }
    best
}

/// Text inside a raw HTML block of a Markdown document (`<details><summary>…</summary>`), where backslash
/// escapes are not interpreted: HTML-escaped `&` `<` `>` `"`; the Markdown punctuation `[` `]` `` ` `` `*` `_` `|`
/// as numeric character references too, in case a renderer does read Markdown there; line breaks (a blank line
/// would end the HTML block), controls and bidi characters as visible escapes.
pub fn markdown_html(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| "&<>\"[]`*_|".contains(c) || is_terminal_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '[' | ']' | '`' | '*' | '_' | '|' => {
                let _ = write!(out, "&#{};", c as u32);
            }
            c if is_terminal_unsafe(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of a fenced code block: the content is literal, so only what would end the line (and with it let
/// a data line start a closing fence) or act on a terminal is escaped, visibly.
pub fn fence_line(s: &str) -> Cow<'_, str> {
    terminal(s)
}

/// The fence for a code block holding `lines` (already passed through [`fence_line`]): three backticks, or one
/// more than the longest backtick run in the content, so no content line can close it.
pub fn markdown_fence<'a>(lines: impl IntoIterator<Item = &'a str>) -> String {
    let longest = lines.into_iter().map(|l| longest_run(l, '`')).max().unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

/// A mermaid node label, written inside `["…"]`. Mermaid reads entity codes in labels (`#quot;`, `#35;`), and
/// GitHub renders labels as HTML, so `"` `#` `&` `<` `>` and the backtick (which would also close the enclosing
/// Markdown fence, and opens mermaid's Markdown strings) become entity codes; line breaks, controls and bidi
/// characters become visible escapes.
pub fn mermaid_label(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| "\"#&<>`".contains(c) || is_terminal_unsafe(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '&' => out.push_str("#amp;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '`' => out.push_str("#96;"),
            c if is_terminal_unsafe(c) => push_escape(&mut out, c),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A mermaid node id: ASCII letters, digits and `_` only (anything else becomes `_`), never empty, so an id can
/// neither end the statement nor smuggle in a label or a link.
pub fn mermaid_id(s: &str) -> Cow<'_, str> {
    let ok = |c: char| c.is_ascii_alphanumeric() || c == '_';
    if !s.is_empty() && s.chars().all(ok) {
        return Cow::Borrowed(s);
    }
    let id: String = s.chars().map(|c| if ok(c) { c } else { '_' }).collect();
    Cow::Owned(if id.is_empty() { "_".into() } else { id })
}

/// Text for an XML document (JUnit): characters XML 1.0 does not allow (C0 controls other than tab, LF and CR;
/// U+FFFE, U+FFFF) would make the file not well-formed, so they, the other controls and the bidi characters
/// become visible escapes. The XML serializer escapes `<`, `&` and quotes itself.
pub fn xml_text(s: &str) -> Cow<'_, str> {
    escape_visible(s, |c| !matches!(c, '\t' | '\n' | '\r') && is_terminal_unsafe(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_borrowed_unchanged_by_every_escaper() {
        let plain = "contosoprodacr.azurecr.io (aks-prod-eastus → registries/contosoprodacr)";
        assert!(matches!(terminal(plain), Cow::Borrowed(_)));
        assert!(matches!(terminal_lines(plain), Cow::Borrowed(_)));
        assert!(matches!(table_cell(plain), Cow::Borrowed(_)));
        assert!(matches!(markdown_inline(plain), Cow::Borrowed(_)));
        assert!(matches!(markdown_html(plain), Cow::Borrowed(_)));
        assert!(matches!(mermaid_label(plain), Cow::Borrowed(_)));
        assert!(matches!(xml_text(plain), Cow::Borrowed(_)));
        assert_eq!(markdown_code_span("registries/x"), "`registries/x`");
        assert_eq!(markdown_html("<b>[x](y) `z`"), "&lt;b&gt;&#91;x&#93;(y) &#96;z&#96;");
    }

    #[test]
    fn terminal_escapes_controls_and_bidi_visibly() {
        assert_eq!(terminal("a\u{1b}[2Jb\rc\nd"), "a\\u{1b}[2Jb\\rc\\nd");
        assert_eq!(terminal("\u{1b}]8;;http://x\u{7}"), "\\u{1b}]8;;http://x\\u{7}");
        assert_eq!(terminal("x\u{202e}y\u{2066}z\u{9b}"), "x\\u{202e}y\\u{2066}z\\u{9b}");
        assert_eq!(terminal_lines("a\nb\rc"), "a\nb\\rc");
    }

    #[test]
    fn long_cells_are_cut_with_a_count() {
        let long = "x".repeat(MAX_CELL_CHARS + 5);
        let cut = table_cell(&long);
        assert!(cut.ends_with("… (5 more characters)"), "{}", &cut[cut.len() - 40..]);
        assert_eq!(cut.chars().filter(|c| *c == 'x').count(), MAX_CELL_CHARS);
    }

    #[test]
    fn markdown_inline_neutralises_markup() {
        assert_eq!(markdown_inline("# h"), "\\# h");
        assert_eq!(markdown_inline("a\n# h"), "a<br># h");
        assert_eq!(markdown_inline("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(markdown_inline("<img src=x onerror=alert(1)>"), "&lt;img src=x onerror=alert(1)&gt;");
        assert_eq!(markdown_inline("[a](http://x) | `c` *d* _e_"), "\\[a\\](http://x) \\| \\`c\\` \\*d\\* \\_e\\_");
        assert_eq!(markdown_inline("allow *.blob.core.windows.net"), "allow *.blob.core.windows.net");
        assert_eq!(markdown_inline("a*.b"), "a\\*.b");
        assert_eq!(markdown_inline("x\\y"), "x\\\\y");
    }

    #[test]
    fn code_spans_outgrow_backticks_inside() {
        assert_eq!(markdown_code_span("a`b"), "``a`b``");
        assert_eq!(markdown_code_span("`a"), "`` `a ``");
        assert_eq!(markdown_code_span("a|b\nc"), "`a\\|b\\nc`");
    }

    #[test]
    fn fences_outgrow_backticks_inside() {
        assert_eq!(markdown_fence(["az x"]), "```");
        assert_eq!(markdown_fence(["az ````x"]), "`````");
    }

    #[test]
    fn mermaid_labels_use_entity_codes_and_ids_are_words() {
        assert_eq!(mermaid_label("a\"]; click x \"b"), "a#quot;]; click x #quot;b");
        assert_eq!(mermaid_label("<b>#`"), "#lt;b#gt;#35;#96;");
        assert_eq!(mermaid_id("p0_dns"), "p0_dns");
        assert_eq!(mermaid_id("a b-->c"), "a_b___c");
        assert_eq!(mermaid_id(""), "_");
    }

    #[test]
    fn xml_text_replaces_what_xml_forbids() {
        assert_eq!(
            xml_text("a\u{0}b\u{8}c\u{b}\u{c}\u{1f}\u{fffe}\u{ffff}\td\n"),
            "a\\u{0}b\\u{8}c\\u{b}\\u{c}\\u{1f}\\u{fffe}\\u{ffff}\td\n"
        );
    }
}
