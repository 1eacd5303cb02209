//! Where a value carries a secret inside it: only as a URL's password, in its userinfo (`scheme://user:PASS@host`)
//! or in a query parameter named like a secret (`postgres://db/app?password=PASS`, libpq's form).
//!
//! This is the one embedding rule of `check`, `inventory` and `rotate`. A plain substring test is wrong both ways:
//! the weak default `postgres` is a substring of `DB_HOST=postgresql` and of the URL's scheme, and a rotation that
//! replaced it everywhere rewrote host names and schemes (`<new>ql://app:<new>@<new>ql:5432`). Any other partial
//! match is no embedding; `rotate --dry-run` lists such keys as left alone.

use std::ops::Range;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

use crate::secret::is_secret_key;

/// The bytes a password may not hold raw inside a URL's userinfo (RFC 3986 unreserved characters stay).
const USERINFO: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Every span of `value` that can be a URL's password: for each `scheme://user:`, the text from after the colon up
/// to each later `@` before whitespace (a password may itself hold an unencoded `@` or `/`, so every candidate is
/// offered; a known secret decides which one it is); and the value of each secret-named query parameter.
fn candidate_spans(value: &str) -> Vec<Range<usize>> {
    let bytes = value.as_bytes();
    let mut spans = Vec::new();
    let mut from = 0;
    while let Some(found) = value[from..].find("://") {
        let sep = from + found;
        from = sep + 3;
        let scheme_ok = sep > 0 && {
            let c = bytes[sep - 1];
            c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-')
        };
        if !scheme_ok {
            continue;
        }
        spans.extend(query_password_spans(value, from));
        let user_end = value[from..]
            .find(|c: char| matches!(c, ':' | '/' | '@' | '?' | '#') || c.is_whitespace())
            .map_or(value.len(), |i| from + i);
        if bytes.get(user_end) != Some(&b':') {
            continue;
        }
        let start = user_end + 1;
        let end_of_word = value[start..].find(char::is_whitespace).map_or(value.len(), |i| start + i);
        spans.extend(value[start..end_of_word].match_indices('@').map(|(at, _)| start..start + at));
    }
    spans
}

/// The values of the secret-named query parameters of the URL whose authority starts at `from`.
fn query_password_spans(value: &str, from: usize) -> Vec<Range<usize>> {
    let end = value[from..].find(char::is_whitespace).map_or(value.len(), |i| from + i);
    let Some(query) = value[from..end].find('?').map(|i| from + i + 1) else { return Vec::new() };
    let query_end = value[query..end].find('#').map_or(end, |i| query + i);
    let mut spans = Vec::new();
    let mut at = query;
    for param in value[query..query_end].split('&') {
        if let Some((name, _)) = param.split_once('=')
            && is_secret_key(name)
        {
            let start = at + name.len() + 1;
            spans.push(start..at + param.len());
        }
        at += param.len() + 1;
    }
    spans
}

/// True when `value` holds a URL whose userinfo has a non-empty password (`mongodb://user:pass@host`).
pub(crate) fn has_url_password(value: &str) -> bool {
    candidate_spans(value).iter().any(|span| !span.is_empty())
}

/// True when `value` carries `secret` as the password of a URL's userinfo, raw or percent-encoded, without being
/// `secret` itself: the keys a rotation of `secret` must edit besides the ones holding it whole.
pub(crate) fn embeds(value: &str, secret: &str) -> bool {
    !secret.is_empty() && value != secret && candidate_spans(value).iter().any(|s| matches(&value[s.clone()], secret))
}

/// `value` with every URL password equal to `from` (raw, or percent-decoded) replaced by `to` (raw, or
/// percent-encoded where the original was encoded); everything else is kept byte for byte.
pub(crate) fn replace_password(value: &str, from: &str, to: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut copied = 0;
    for span in candidate_spans(value) {
        if span.start < copied {
            continue;
        }
        let text = &value[span.clone()];
        let replacement = if text == from {
            to.to_string()
        } else if decoded(text).as_deref() == Some(from) {
            utf8_percent_encode(to, USERINFO).to_string()
        } else {
            continue;
        };
        out.push_str(&value[copied..span.start]);
        out.push_str(&replacement);
        copied = span.end;
    }
    out.push_str(&value[copied..]);
    out
}

fn matches(text: &str, secret: &str) -> bool {
    text == secret || (text.contains('%') && decoded(text).as_deref() == Some(secret))
}

fn decoded(text: &str) -> Option<String> {
    percent_decode_str(text).decode_utf8().ok().map(|s| s.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "postgresql://app:postgres@postgresql:5432/app";

    #[test]
    fn a_weak_default_inside_the_scheme_and_host_is_no_embedding() {
        assert!(embeds(URL, "postgres"));
        assert_eq!(replace_password(URL, "postgres", "N3w"), "postgresql://app:N3w@postgresql:5432/app");
        // Prefix, suffix and infix of host names, user names and schemes are left alone.
        assert!(!embeds("postgresql", "postgres"));
        assert!(!embeds("my-postgres-db", "postgres"));
        assert!(!embeds("db.postgres", "postgres"));
        assert!(!embeds("postgres://postgres:other@postgres-host/postgres", "postgres"));
        assert_eq!(
            replace_password("postgres://postgres:other@postgres-host/postgres", "postgres", "N3w"),
            "postgres://postgres:other@postgres-host/postgres"
        );
        assert_eq!(
            replace_password("redis://redis:redis@redis:6379/0", "redis", "N3w"),
            "redis://redis:N3w@redis:6379/0"
        );
    }

    #[test]
    fn a_value_equal_to_the_secret_does_not_embed_it() {
        assert!(!embeds("s3cretPassw0rd", "s3cretPassw0rd"));
        assert!(!embeds("anything", ""));
        assert!(!embeds("redis://:@cache", ""));
    }

    #[test]
    fn passwords_with_url_characters_are_found_raw_or_encoded() {
        assert!(embeds("amqp://guest:p@ss/w#rd@rabbit:5672/", "p@ss/w#rd"));
        assert_eq!(replace_password("amqp://guest:p@ss@rabbit/", "p@ss", "x"), "amqp://guest:x@rabbit/");
        assert!(embeds("mysql://root:p%40ss%2Fw@db/app", "p@ss/w"));
        assert_eq!(replace_password("mysql://root:p%40ss%2Fw@db/app", "p@ss/w", "a b"), "mysql://root:a%20b@db/app");
        // Back again: the encoded form is found by its decoded value.
        assert_eq!(replace_password("mysql://root:a%20b@db/app", "a b", "p@ss/w"), "mysql://root:p%40ss%2Fw@db/app");
    }

    #[test]
    fn every_url_of_a_value_is_searched() {
        let v = "mongodb://u:pw1@a:1,b:2/x redis://:pw1@c:6379";
        assert!(embeds(v, "pw1"));
        assert_eq!(replace_password(v, "pw1", "Z"), "mongodb://u:Z@a:1,b:2/x redis://:Z@c:6379");
        assert!(!embeds("prefix-pw1-suffix", "pw1"));
        assert!(!embeds("https://user@example.com/a:pw1@c", "pw1"));
    }

    #[test]
    fn a_password_query_parameter_is_a_url_password() {
        let v = "postgres://db:5432/app?sslmode=disable&password=s3cret#frag";
        assert!(embeds(v, "s3cret"));
        assert!(has_url_password(v));
        assert_eq!(replace_password(v, "s3cret", "N"), "postgres://db:5432/app?sslmode=disable&password=N#frag");
        assert!(!embeds("postgres://db:5432/app?sslmode=s3cret", "s3cret"));
        assert!(!has_url_password("postgres://db:5432/app?password="));
    }

    #[test]
    fn url_passwords_make_a_value_secret() {
        assert!(has_url_password("mongodb://admin:pw@mongo:27017/app?authSource=admin"));
        assert!(has_url_password("redis://:pw@redis:6379/0"));
        assert!(!has_url_password("redis://redis:6379/0"));
        assert!(!has_url_password("redis://:@redis:6379/0"));
        assert!(!has_url_password("https://user@example.com/a:b@c"));
        assert!(!has_url_password("plain:value@x"));
        assert!(!has_url_password("://u:p@h"));
    }
}
