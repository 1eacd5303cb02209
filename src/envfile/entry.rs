//! One `KEY=value` assignment of an env file, with where it stands.

use super::Quote;

/// An assignment as compose reads it: the value is unquoted and unescaped, but NOT interpolated yet.
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
}
