//! Compose's two-stage unquoting of quoted values, mirrored from compose-go `dotenv/parser.go`.
//!
//! Stage 1 (`scan_quoted`, both quote styles) finds the closing quote: a backslash protects the next byte;
//! `\<quote>` loses its backslash, every other pair is kept whole. Stage 2 (`expand_escapes`, double quotes
//! only) decodes `\a \b \f \n \r \t \v \\ \"`, octal `\0NNN`, and turns `\$` into `$$`, which interpolation
//! later reads as a literal `$`. Unknown pairs (`\q`, `\c`) stay as written.

/// Scans a quoted value in `src`, which starts right after the opening `quote`.
///
/// Returns the stage-1 text and the offset in `src` of the closing quote, or `None` when it never closes.
pub(crate) fn scan_quoted(src: &str, quote: u8) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut escaped = false;
    for (i, &byte) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            if byte != quote {
                out.push(b'\\');
            }
            out.push(byte);
        } else if byte == b'\\' {
            escaped = true;
        } else if byte == quote {
            // Only ASCII bytes were dropped or split around, so `out` is still UTF-8.
            return String::from_utf8(out).ok().map(|text| (text, i));
        } else {
            out.push(byte);
        }
    }
    None
}

/// Stage 2 for double-quoted values (compose's `expandEscapes`).
pub(crate) fn expand_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\\') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let (decoded, used) = decode_pair(after);
        match decoded {
            Some(decoded) => out.push_str(decoded.as_str()),
            None => out.push_str(&rest[at..at + 1 + used]),
        }
        rest = &after[used..];
    }
    out.push_str(rest);
    out
}

/// Decodes the escape whose backslash precedes `after`; returns the decoded text (None: keep as written)
/// and how many bytes of `after` the escape covers.
fn decode_pair(after: &str) -> (Option<String>, usize) {
    let Some(first) = after.bytes().next() else {
        return (None, 0);
    };
    let simple = match first {
        b'a' => Some('\u{7}'),
        b'b' => Some('\u{8}'),
        b'f' => Some('\u{c}'),
        b'n' => Some('\n'),
        b'r' => Some('\r'),
        b't' => Some('\t'),
        b'v' => Some('\u{b}'),
        b'\\' => Some('\\'),
        b'"' => Some('"'),
        b'$' => return (Some("$$".to_owned()), 1),
        // `\c` matches compose's escape pattern but Go cannot unquote it: kept as written.
        b'c' => return (None, 1),
        b'0' => return decode_octal(after),
        _ => return (None, 0),
    };
    (simple.map(String::from), 1)
}

/// `\0` followed by up to three digits: Go reads the digits as an octal byte value when there are exactly
/// three octal digits worth at most 255, and keeps the whole match as written otherwise.
fn decode_octal(after: &str) -> (Option<String>, usize) {
    let digits = after.bytes().skip(1).take(3).take_while(u8::is_ascii_digit).count();
    let used = 1 + digits;
    let octal = &after[1..used];
    let value = (digits == 3 && octal.bytes().all(|b| b < b'8'))
        .then(|| u32::from_str_radix(octal, 8).ok())
        .flatten()
        .filter(|value| *value <= 255)
        .and_then(char::from_u32);
    (value.map(String::from), used)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn double(raw: &str) -> String {
        let (stage1, end) = scan_quoted(raw, b'"').expect("terminated");
        assert_eq!(end, raw.len() - 1);
        expand_escapes(&stage1)
    }

    #[test]
    fn double_quoted_escapes_like_compose() {
        assert_eq!(double(r#"bar\n\ b\az""#), "bar\n\\ b\u{7}z");
        assert_eq!(double(r#"escaped\"bar""#), "escaped\"bar");
        assert_eq!(double(r#"a\\""#), "a\\");
        assert_eq!(double(r#"foo\$BAR""#), "foo$$BAR");
        assert_eq!(double(r#"\0123\012\0\q\c""#), "S\\012\\0\\q\\c");
        assert_eq!(double(r#"\0377""#), "\u{ff}");
        assert_eq!(double(r#"\\n\t""#), "\\n\t");
    }

    #[test]
    fn single_quotes_keep_pairs_but_drop_backslash_before_quote() {
        assert_eq!(scan_quoted(r"a\'b\nc'", b'\''), Some(("a'b\\nc".to_owned(), 7)));
        assert_eq!(scan_quoted(r"a\\'", b'\''), Some(("a\\\\".to_owned(), 3)));
        assert_eq!(scan_quoted(r"a\'", b'\''), None);
    }
}
