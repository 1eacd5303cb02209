//! A minimal reader of compose's env-file syntax, standing in for the `envfile` module's parser.

use std::path::Path;

use super::ProjectError;
use crate::envfile::{Entry, Quote};

/// Reads the assignments of an env file in order.
///
/// Values are unquoted and unescaped but not interpolated. One deviation, so that interpolation can still tell
/// them apart: an escaped dollar (`\$`) in a double-quoted value is returned as `$$`, which interpolation turns
/// back into a literal `$` (compose never substitutes an escaped dollar).
// TODO(envfile): replace by EnvDocument::read(path)?.entries()
pub(crate) fn read_env_file(path: &Path) -> Result<Vec<Entry>, ProjectError> {
    let text =
        std::fs::read_to_string(path).map_err(|source| ProjectError::Read { path: path.to_path_buf(), source })?;
    parse(&text).map_err(|(line, message)| ProjectError::EnvFileSyntax { file: path.to_path_buf(), line, message })
}

/// Parses env-file text; errors carry the 1-based line.
fn parse(text: &str) -> Result<Vec<Entry>, (usize, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut entries = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line_no = index + 1;
        let mut line = lines[index].trim_start();
        index += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let exported = line.starts_with("export ") || line.starts_with("export\t");
        if exported {
            line = line[6..].trim_start();
        }
        let split = line.find(['=', ':']);
        let (key, rest) = match split {
            Some(at) => (line[..at].trim_end(), Some(line[at + 1..].trim_start())),
            None => (line.trim_end(), None),
        };
        if key.is_empty() || !key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-')) {
            return Err((line_no, format!("invalid variable name {key:?}")));
        }
        let Some(rest) = rest else {
            entries.push(Entry { key: key.to_string(), value: None, line: line_no, quote: Quote::None, exported });
            continue;
        };
        let (value, quote) = match rest.chars().next() {
            Some(q @ ('\'' | '"')) => {
                let mut raw = rest[1..].to_string();
                // A quoted value may span lines: read on until the closing quote.
                let end = loop {
                    if let Some(end) = closing_quote(&raw, q) {
                        break end;
                    }
                    let Some(next) = lines.get(index) else {
                        return Err((line_no, format!("unterminated quoted value for {key}")));
                    };
                    raw.push('\n');
                    raw.push_str(next);
                    index += 1;
                };
                raw.truncate(end);
                if q == '"' { (unescape_double(&raw), Quote::Double) } else { (raw, Quote::Single) }
            }
            _ => (strip_comment(rest).to_string(), Quote::None),
        };
        entries.push(Entry { key: key.to_string(), value: Some(value), line: line_no, quote, exported });
    }
    Ok(entries)
}

/// Where the quote `q` closes in `raw` (the text after the opening quote), skipping backslash-escaped quotes.
fn closing_quote(raw: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in raw.char_indices() {
        if c == q && !escaped {
            return Some(at);
        }
        escaped = c == '\\' && !escaped;
    }
    None
}

/// An unquoted value ends at ` #` (a `#` glued to text is part of the value) and loses trailing blanks.
fn strip_comment(value: &str) -> &str {
    let bytes = value.as_bytes();
    let end = (0..bytes.len())
        .find(|&i| bytes[i] == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()))
        .unwrap_or(bytes.len());
    value[..end].trim_end()
}

/// Double-quoted escapes: `\n`, `\r`, `\t` and a backslash before any other character keeps that character;
/// `\$` stays escaped as `$$` (see [`read_env_file`]).
fn unescape_double(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('$') => out.push_str("$$"),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Entry {
        let entries = parse(text).expect("parses");
        assert_eq!(entries.len(), 1, "{entries:?}");
        entries.into_iter().next().expect("one entry")
    }

    #[test]
    fn plain_quoted_and_commented_values() {
        assert_eq!(one("A=a#b").value.as_deref(), Some("a#b"));
        assert_eq!(one("B=a #b").value.as_deref(), Some("a"));
        assert_eq!(one("E = spaced  ").value.as_deref(), Some("spaced"));
        assert_eq!(one("H=\"a # b\" # c").value.as_deref(), Some("a # b"));
        assert_eq!(one("D='${X} \\n'").value.as_deref(), Some("${X} \\n"));
        assert_eq!(one("D='${X}'").quote, Quote::Single);
        assert_eq!(one("C=\"x\\ny\\\"z\\\\w\\$v\"").value.as_deref(), Some("x\ny\"z\\w$$v"));
        assert_eq!(one("I=").value.as_deref(), Some(""));
        assert_eq!(one("F:yamlish").value.as_deref(), Some("yamlish"));
    }

    #[test]
    fn export_bare_keys_lines_and_multiline() {
        let entries = parse("# c\n\n  export G=g\nBARE\nN='multi\nline'\nZ=z\n").expect("parses");
        let keys: Vec<_> = entries.iter().map(|e| (e.key.as_str(), e.line, e.exported)).collect();
        assert_eq!(keys, [("G", 3, true), ("BARE", 4, false), ("N", 5, false), ("Z", 7, false)]);
        assert_eq!(entries[1].value, None);
        assert_eq!(entries[2].value.as_deref(), Some("multi\nline"));
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(parse("A=1\nB C=2\n").map_err(|e| e.0), Err(2));
        assert_eq!(parse("A='open\n").map_err(|e| e.0), Err(1));
    }
}
