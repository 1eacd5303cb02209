//! Errors of the env-file engine: each names the file and, for syntax, the line (and column) — never a value.

use std::io;
use std::path::PathBuf;

use super::Quote;

/// Everything that can go wrong reading, editing or writing an env file.
///
/// Messages are safe to print: they name `path:line[:column]` and at most a key or a character of a key,
/// never (part of) a value, since values are usually secrets.
#[derive(Debug, thiserror::Error)]
pub enum EnvError {
    /// The file could not be read.
    #[error("{}: cannot read env file: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },

    /// A line is not valid UTF-8.
    #[error("{}:{line}:{column}: invalid UTF-8", path.display())]
    InvalidUtf8 { path: PathBuf, line: usize, column: usize },

    /// A key holds a character compose rejects (compose accepts letters, digits, `_`, `.`, `-`, `[`, `]`).
    #[error("{}:{line}:{column}: unexpected character {character:?} in variable name", path.display())]
    InvalidKeyChar { path: PathBuf, line: usize, column: usize, character: char },

    /// A key contains whitespace (`FOO BAR=1`).
    #[error("{}:{line}:{column}: variable name cannot contain whitespace", path.display())]
    KeyWithSpace { path: PathBuf, line: usize, column: usize },

    /// An assignment without a name (`=value`, or `export` alone).
    #[error("{}:{line}:{column}: missing variable name", path.display())]
    EmptyKey { path: PathBuf, line: usize, column: usize },

    /// A quoted value never closes; compose fails on the whole file.
    #[error("{}:{line}:{column}: unterminated {} quoted value", path.display(), quote_name(*quote))]
    UnterminatedQuote { path: PathBuf, line: usize, column: usize, quote: Quote },

    /// Text after a closing quote that is neither blank nor a `#` comment.
    ///
    /// Compose would silently read it as the start of another statement (`A="x" B=1` sets `B` too); we
    /// treat it as the typo it almost always is.
    #[error("{}:{line}:{column}: unexpected text after the closing quote", path.display())]
    TrailingText { path: PathBuf, line: usize, column: usize },

    /// A bare `KEY` on the last line with no final newline: compose misreads it as a value with an empty
    /// name and never passes `KEY` through, so the line does not do what it says.
    #[error(
        "{}:{line}: bare variable {key:?} on the last line without a final newline is ignored by compose; \
         add a newline",
        path.display()
    )]
    BareKeyAtEof { path: PathBuf, line: usize, key: String },

    /// `set` was given a name compose would not accept as a key.
    #[error("{}:{line}: {key:?} is not a valid variable name", path.display())]
    InvalidKeyName { path: PathBuf, line: usize, key: String },

    /// `set` was given a value no process environment can carry (a NUL byte).
    #[error("{}:{line}: the new value of {key:?} contains a NUL byte", path.display())]
    UnrepresentableValue { path: PathBuf, line: usize, key: String },

    /// An edit did not read back as intended; the document was left unchanged. A bug: please report it.
    #[error("{}:{line}: internal error: editing {key:?} would not read back as written", path.display())]
    EditVerification { path: PathBuf, line: usize, key: String },

    /// The lenient parse lists so many bad lines one by one, then counts the rest here.
    #[error("{}:{line}: {more} more lines from here on cannot be parsed either (not listed one by one)", path.display())]
    MoreErrors { path: PathBuf, line: usize, more: usize },

    /// Writing the file atomically failed at `step`; the original file is untouched unless `step` is
    /// `"fsync directory"` (the rename happened, only its durability is unknown).
    #[error("{}: cannot write env file ({step}): {source}", path.display())]
    Write { path: PathBuf, step: &'static str, source: io::Error },

    /// Making a backup copy failed at `step`.
    #[error("{}: cannot back up env file ({step}): {source}", path.display())]
    Backup { path: PathBuf, step: &'static str, source: io::Error },
}

impl EnvError {
    /// The 1-based line the error is about, when it is about a line.
    pub fn line(&self) -> Option<usize> {
        match self {
            EnvError::InvalidUtf8 { line, .. }
            | EnvError::InvalidKeyChar { line, .. }
            | EnvError::KeyWithSpace { line, .. }
            | EnvError::EmptyKey { line, .. }
            | EnvError::UnterminatedQuote { line, .. }
            | EnvError::TrailingText { line, .. }
            | EnvError::BareKeyAtEof { line, .. }
            | EnvError::InvalidKeyName { line, .. }
            | EnvError::UnrepresentableValue { line, .. }
            | EnvError::EditVerification { line, .. }
            | EnvError::MoreErrors { line, .. } => Some(*line),
            EnvError::Read { .. } | EnvError::Write { .. } | EnvError::Backup { .. } => None,
        }
    }
}

fn quote_name(quote: Quote) -> &'static str {
    match quote {
        Quote::Single => "single",
        Quote::Double => "double",
        Quote::None => "un",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_path_line_and_column() {
        let err = EnvError::UnterminatedQuote {
            path: PathBuf::from("envs/app.env"),
            line: 3,
            column: 10,
            quote: Quote::Double,
        };
        assert_eq!(err.to_string(), "envs/app.env:3:10: unterminated double quoted value");
        let err = EnvError::BareKeyAtEof { path: PathBuf::from(".env"), line: 7, key: "DEBUG".into() };
        assert!(err.to_string().starts_with(".env:7: bare variable \"DEBUG\""));
    }
}
