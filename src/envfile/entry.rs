//! One `KEY=value` assignment of an env file, with where it stands.

use std::borrow::Cow;

use super::Quote;

/// An assignment as compose reads it: the value is unquoted and unescaped, but NOT interpolated yet.
///
/// For the interpolated styles (`Quote::None`, `Quote::Double`) the value is exactly the text compose hands
/// to interpolation: a double-quoted `\$` escape therefore appears as `$$`, compose's own escape for a
/// literal `$`. [`Entry::literal`] gives the bytes a container receives when no variable is referenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    /// The value after unquoting and unescaping; `None` for a bare `KEY` line (compose takes it from the shell).
    pub value: Option<String>,
    /// 1-based line where the assignment starts.
    pub line: usize,
    /// How the value was written; `Quote::Single` values are literal, the others are interpolated by compose.
    pub quote: Quote,
    /// The line began with `export `.
    pub exported: bool,
}

impl Entry {
    /// True when compose would interpolate `${...}` in this value.
    pub fn is_interpolated(&self) -> bool {
        self.quote != Quote::Single
    }

    /// The exact value a container receives, when that needs no variable lookup: single-quoted values as
    /// written, interpolated ones with each `$$` read as `$`.
    ///
    /// `None` for a bare `KEY` line and for an interpolated value holding any other `$` (a reference the
    /// project model must resolve, or a lone `$` compose rejects).
    pub fn literal(&self) -> Option<Cow<'_, str>> {
        let value = self.value.as_deref()?;
        if !self.is_interpolated() || !value.contains('$') {
            return Some(Cow::Borrowed(value));
        }
        let mut out = String::with_capacity(value.len());
        let mut chars = value.chars();
        while let Some(c) = chars.next() {
            if c == '$' && chars.next() != Some('$') {
                return None;
            }
            out.push(c);
        }
        Some(Cow::Owned(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(value: &str, quote: Quote) -> Entry {
        Entry { key: "K".into(), value: Some(value.into()), line: 1, quote, exported: false }
    }

    #[test]
    fn literal_reads_dollar_escapes_and_refuses_references() {
        assert_eq!(entry("a$$b", Quote::Double).literal().as_deref(), Some("a$b"));
        assert_eq!(entry("a$$b", Quote::None).literal().as_deref(), Some("a$b"));
        assert_eq!(entry("a$$b", Quote::Single).literal().as_deref(), Some("a$$b"));
        assert_eq!(entry("${HOME}", Quote::Single).literal().as_deref(), Some("${HOME}"));
        assert_eq!(entry("${HOME}", Quote::Double).literal(), None);
        assert_eq!(entry("tail$", Quote::None).literal(), None);
        let bare = Entry { value: None, ..entry("", Quote::None) };
        assert_eq!(bare.literal(), None);
    }
}
