//! `null` is absent: object members whose value is `null` are blanked out of the bytes before the typed parse.
//!
//! ARM's REST contract treats a `null` optional property as not set, and the Azure CLI and SDK serializers emit
//! them (`"ipRules": null`, `"status": null`, `"identity": null`). The views are lenient serde structs with
//! defaults for absent fields, but serde refuses `null` for a `Vec`, `String`, `bool`, map or nested struct.
//! Rather than annotating every field of every view (and forgetting the next one), the loader reads every
//! `"key": null` member as if the key were absent, wherever it is in the file:
//!
//! - an optional field (`Option`, or anything with a default) takes its default, exactly as when absent;
//! - a required field (an id, an NSG rule's priority) set to `null` is refused as missing, with its JSON path;
//! - `null` inside an array (`"ipRules": [null]`) is not a member and stays an error.
//!
//! The member is replaced by spaces (with one neighbouring comma), not removed, so every byte after it keeps its
//! line and column and error messages still point at the right place. Bytes that are not valid JSON are left as
//! they are: the typed parse reports the syntax error. The JSON Schema says the same (`docs::snapshot_schema`
//! allows `null` for every property that is not required).

use std::borrow::Cow;

/// `bytes` with every object member whose value is the literal `null` blanked to spaces; borrowed when there is
/// none (the common case costs one scan and no copy).
pub fn blank_null_members(bytes: &[u8]) -> Cow<'_, [u8]> {
    let spans = null_member_spans(bytes);
    if spans.is_empty() {
        return Cow::Borrowed(bytes);
    }
    let mut out = bytes.to_vec();
    for (start, end) in spans {
        for b in &mut out[start..end] {
            // Keep line breaks so later positions keep their line numbers.
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }
    Cow::Owned(out)
}

fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn skip_ws(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && is_ws(bytes[i]) {
        i += 1;
    }
    i
}

/// The end (one past the closing quote) of the string starting at `i` (which is a `"`), if it is closed.
fn string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' => j += 2,
            b'"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    None
}

/// The byte ranges to blank: each `"key" : null` member of an object, with the comma that separates it from
/// the next member (or, for the last member, from the previous one). Iterative, one pass, no recursion: nesting
/// depth is attacker-controlled.
fn null_member_spans(bytes: &[u8]) -> Vec<(usize, usize)> {
    // Cheap exit: no `null` anywhere.
    if !bytes.windows(4).any(|w| w == b"null") {
        return Vec::new();
    }
    let mut spans: Vec<(usize, usize)> = Vec::new();
    // For each open container: is it an object, and the index after the last comma or `{` seen in it
    // (where a member starts), plus the position of the comma before the current member, if any.
    let mut stack: Vec<bool> = Vec::new();
    let mut prev_comma: Vec<Option<usize>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' | b'[' => {
                stack.push(bytes[i] == b'{');
                prev_comma.push(None);
                i += 1;
            }
            b'}' | b']' => {
                stack.pop();
                prev_comma.pop();
                i += 1;
            }
            b',' => {
                if let Some(last) = prev_comma.last_mut() {
                    *last = Some(i);
                }
                i += 1;
            }
            b'"' => {
                let Some(end) = string_end(bytes, i) else { return Vec::new() };
                // A key is a string directly inside an object followed by `:`.
                let in_object = stack.last().copied().unwrap_or(false);
                let colon = skip_ws(bytes, end);
                if in_object && bytes.get(colon) == Some(&b':') {
                    let value = skip_ws(bytes, colon + 1);
                    if bytes.get(value..value + 4) == Some(b"null".as_slice()) {
                        let after = skip_ws(bytes, value + 4);
                        match bytes.get(after) {
                            Some(b',') => {
                                // Not the last member: blank the member and the comma after it.
                                spans.push((i, after + 1));
                                i = after + 1;
                                continue;
                            }
                            Some(b'}') => {
                                // The last member: blank the comma before it too (if any), so no comma dangles.
                                let start = prev_comma.last().copied().flatten().unwrap_or(i);
                                // The comma before may already belong to a blanked span; blanking twice is harmless.
                                spans.push((start, value + 4));
                                i = after;
                                continue;
                            }
                            // `null` followed by anything else (`nullx`, end of input): not JSON, leave it.
                            _ => return Vec::new(),
                        }
                    }
                    i = colon + 1;
                } else {
                    i = end;
                }
            }
            _ => i += 1,
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blank(text: &str) -> String {
        String::from_utf8(blank_null_members(text.as_bytes()).into_owned()).unwrap()
    }

    fn same_value(text: &str, without_nulls: &str) {
        let out = blank(text);
        assert_eq!(out.len(), text.len(), "positions are kept: {out:?}");
        let got: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{out:?}: {e}"));
        let want: serde_json::Value = serde_json::from_str(without_nulls).unwrap();
        assert_eq!(got, want, "{text} -> {out}");
    }

    #[test]
    fn null_members_read_as_absent_in_every_position() {
        same_value(r#"{"a": null}"#, "{}");
        same_value(r#"{"a":null,"b":1}"#, r#"{"b":1}"#);
        same_value(r#"{"b":1, "a" : null }"#, r#"{"b":1}"#);
        same_value(r#"{"b":1,"a":null,"c":2}"#, r#"{"b":1,"c":2}"#);
        same_value(r#"{"a":null,"b":null}"#, "{}");
        same_value(r#"{"b":[1,null],"a":{"x":null,"y":[{"z":null}]}}"#, r#"{"b":[1,null],"a":{"y":[{}]}}"#);
        same_value("{\n  \"a\": 1,\n  \"b\": null\n}", r#"{"a":1}"#);
    }

    #[test]
    fn strings_that_look_like_keys_or_nulls_are_left_alone() {
        same_value(r#"{"a":"\"b\": null","c":"null"}"#, r#"{"a":"\"b\": null","c":"null"}"#);
        same_value(r#"{"k\\":null,"v":["x", "y"]}"#, r#"{"v":["x","y"]}"#);
        same_value(r#"[null, {"a": null}]"#, r#"[null, {}]"#);
    }

    #[test]
    fn nothing_to_blank_borrows_and_broken_json_is_left_for_the_parser() {
        assert!(matches!(blank_null_members(br#"{"a":1}"#), Cow::Borrowed(_)));
        assert_eq!(blank(r#"{"a": nullx}"#), r#"{"a": nullx}"#);
        assert_eq!(blank(r#"{"a": "open"#), r#"{"a": "open"#);
    }

    #[test]
    fn deep_nesting_does_not_recurse() {
        let deep = format!("{}{}", "[".repeat(200_000), "]".repeat(200_000));
        assert!(matches!(blank_null_members(deep.as_bytes()), Cow::Borrowed(_)));
        let deep_null = format!("{}{{\"a\":null}}{}", "[".repeat(100_000), "]".repeat(100_000));
        assert!(!blank(&deep_null).contains("null"));
    }
}
