//! Shell quoting for the remediation commands rules fill in with values from the snapshot.
//!
//! It lives with the rules, which write the commands, rather than with the reports, which only print them.

use std::borrow::Cow;

/// A value from the snapshot put into a POSIX shell command line (remediation commands people copy and paste):
/// left as it is when it only holds `[A-Za-z0-9_./:@=,+-]` (nothing a shell interprets), else single-quoted, each
/// `'` written `'\''`. Single quotes turn off every expansion (`$(…)`, backticks, `;`, globbing), so a hostile
/// name stays one inert argument. The empty string becomes `''`, so it stays an argument.
pub fn shell_word(s: &str) -> Cow<'_, str> {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./:@=,+-".contains(c);
    if !s.is_empty() && s.chars().all(safe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        if c == '\'' {
            out.push_str("'\\''");
        } else {
            out.push(c);
        }
    }
    out.push('\'');
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words_quote_anything_a_shell_would_interpret() {
        assert_eq!(shell_word("/subscriptions/s/resourceGroups/rg-1/x"), "/subscriptions/s/resourceGroups/rg-1/x");
        assert_eq!(shell_word("a$(rm -rf ~)"), "'a$(rm -rf ~)'");
        assert_eq!(shell_word("a`id`;b"), "'a`id`;b'");
        assert_eq!(shell_word("it's"), "'it'\\''s'");
        assert_eq!(shell_word(""), "''");
    }
}
