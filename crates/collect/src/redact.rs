//! The one redaction function for every message the collector stores or prints: ARM failures (snapshot
//! `errors`, the report, stderr), sign-in failures and `-v` request logs.
//!
//! ARM, Microsoft Entra and proxies sometimes echo a request back in an error message (`Authorization: Bearer
//! …`, a form body with `client_secret=…`); copied verbatim, such a message would put a live credential into a
//! snapshot that is shared or attached to a ticket. So every message is cleaned where it is created, before it
//! can reach a file or a terminal:
//!
//! - `Bearer <token>` (any case): the token;
//! - JWT-shaped strings (three base64url segments separated by dots, the first starting with `eyJ`, i.e. a JSON
//!   header): access tokens, federated assertions;
//! - the client secret of `AZURE_CLIENT_SECRET`, when set;
//! - access tokens this process obtained ([`remember`]), whatever their shape: a token that is not a JWT (a
//!   test server's, a future format) is still recognised by value.
//!
//! It over-redacts rather than under-redacts: a word after "bearer" in prose is replaced too.

use std::sync::{Mutex, OnceLock};

/// What a redacted credential becomes.
pub(crate) const REDACTED: &str = "[REDACTED]";

/// Access tokens remembered for redaction; a few, as the credential refreshes them (hourly) and only the
/// recent ones can appear in a message.
const REMEMBERED: usize = 8;

fn remembered() -> &'static Mutex<Vec<String>> {
    static TOKENS: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    TOKENS.get_or_init(|| Mutex::new(Vec::new()))
}

/// Remember a credential this process holds (an access token), so that any message echoing it is redacted.
pub(crate) fn remember(secret: &str) {
    if secret.is_empty() {
        return;
    }
    // A poisoned lock only means another thread panicked while pushing; the list is still usable.
    let mut tokens = remembered().lock().unwrap_or_else(|p| p.into_inner());
    if tokens.iter().any(|t| t == secret) {
        return;
    }
    if tokens.len() >= REMEMBERED {
        tokens.remove(0);
    }
    tokens.push(secret.to_string());
}

/// `text` with every credential it contains replaced by [`REDACTED`].
pub(crate) fn redact(text: &str) -> String {
    let mut known: Vec<String> = remembered().lock().unwrap_or_else(|p| p.into_inner()).clone();
    if let Some(secret) = std::env::var("AZURE_CLIENT_SECRET").ok().filter(|s| !s.is_empty()) {
        known.push(secret);
    }
    redact_with(text, &known)
}

/// [`redact`] with the known secrets given (testable without the environment).
fn redact_with(text: &str, known: &[String]) -> String {
    let mut out = text.to_string();
    // Longest first, so a secret containing another is replaced whole.
    let mut known: Vec<&String> = known.iter().filter(|s| !s.is_empty()).collect();
    known.sort_by_key(|s| std::cmp::Reverse(s.len()));
    for secret in known {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), REDACTED);
        }
    }
    let out = replace_bearer(&out);
    replace_jwts(&out)
}

/// Characters of an RFC 6750 `b64token` (what follows `Bearer `).
fn is_token_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/' | b'=')
}

fn is_base64url(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_')
}

/// `Bearer <token>` → `Bearer [REDACTED]` (case-insensitive; spaces or tabs between).
fn replace_bearer(text: &str) -> String {
    const WORD: &[u8] = b"bearer";
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + WORD.len() <= bytes.len() {
        if !bytes[i..i + WORD.len()].eq_ignore_ascii_case(WORD) {
            i += 1;
            continue;
        }
        let mut j = i + WORD.len();
        while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
            j += 1;
        }
        let start = j;
        while j < bytes.len() && is_token_char(bytes[j]) {
            j += 1;
        }
        if start > i + WORD.len() && j > start {
            // Every byte matched so far is ASCII, so these are character boundaries.
            out.push_str(&text[copied..start]);
            out.push_str(REDACTED);
            copied = j;
        }
        i = j.max(i + 1);
    }
    out.push_str(&text[copied..]);
    out
}

/// The end of a run of base64url characters starting at `i`.
fn base64url_run(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_base64url(bytes[i]) {
        i += 1;
    }
    i
}

/// JWT-shaped strings (`eyJ…` `.` `…` `.` `…`; the signature may be empty, as in an unsigned token) → redacted.
fn replace_jwts(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut i = 0;
    while i + 3 <= bytes.len() {
        if &bytes[i..i + 3] != b"eyJ" {
            i += 1;
            continue;
        }
        let header_end = base64url_run(bytes, i);
        let payload_end = match bytes.get(header_end) {
            Some(b'.') => base64url_run(bytes, header_end + 1),
            _ => {
                i = header_end;
                continue;
            }
        };
        let end = match bytes.get(payload_end) {
            Some(b'.') if payload_end > header_end + 1 => base64url_run(bytes, payload_end + 1),
            _ => {
                i = header_end;
                continue;
            }
        };
        out.push_str(&text[copied..i]);
        out.push_str(REDACTED);
        copied = end;
        i = end;
    }
    out.push_str(&text[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(text: &str) -> String {
        redact_with(text, &[])
    }

    #[test]
    fn bearer_tokens_are_redacted_whatever_the_case_and_spacing() {
        assert_eq!(r("Authorization: Bearer abc.DEF-ghi_~+/=="), "Authorization: Bearer [REDACTED]");
        assert_eq!(r("authorization=bearer\tx1 rest"), "authorization=bearer\t[REDACTED] rest");
        assert_eq!(r("{\"h\":\"BEARER tok\"}"), "{\"h\":\"BEARER [REDACTED]\"}");
        assert_eq!(r("Bearer a and Bearer b"), "Bearer [REDACTED] and Bearer [REDACTED]");
        assert_eq!(r("a bearer token is required"), "a bearer [REDACTED] is required", "over-redacts prose");
        assert_eq!(r("Bearer"), "Bearer");
        assert_eq!(r("Bearer:"), "Bearer:");
    }

    #[test]
    fn jwt_shaped_strings_are_redacted() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln-_";
        assert_eq!(r(&format!("token {jwt}, more")), "token [REDACTED], more");
        assert_eq!(r(&format!("({jwt})")), "([REDACTED])");
        assert_eq!(r("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."), "[REDACTED]", "an unsigned JWT");
        // Not JWT-shaped: left alone.
        assert_eq!(r("eyJ only"), "eyJ only");
        assert_eq!(r("eyJabc.def"), "eyJabc.def");
        assert_eq!(r("eyJabc..def"), "eyJabc..def");
    }

    #[test]
    fn known_secrets_are_redacted_longest_first() {
        let known = vec!["s3cr3t".to_string(), "s3cr3t-longer".to_string(), String::new()];
        assert_eq!(redact_with("x s3cr3t-longer y s3cr3t z", &known), "x [REDACTED] y [REDACTED] z");
        assert_eq!(redact_with("nothing here", &known), "nothing here");
    }

    #[test]
    fn remembered_tokens_are_redacted_in_any_message() {
        remember("opaque-test-token-value-0123456789");
        assert!(!redact("echo: opaque-test-token-value-0123456789.").contains("opaque-test-token"));
    }

    #[test]
    fn non_ascii_text_survives() {
        assert_eq!(r("é Bearer tök ü"), "é Bearer [REDACTED]ök ü");
        assert_eq!(r("ü eyJa.b.c ü"), "ü [REDACTED] ü");
    }
}
