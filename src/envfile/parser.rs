//! Reads statements the way compose-go's `dotenv/parser.go` does, recording where each value sits.
//!
//! Deliberate departures from compose, all of them lines compose reads in a way nobody means: an empty or
//! whitespace-holding key, text after a closing quote (compose starts a new statement there), and a bare
//! `KEY` ending the file without a newline (compose reads it as a value with an empty key) are errors.

use std::path::Path;

use super::escapes::{expand_escapes, scan_quoted};
use super::line_index::LineIndex;
use super::value_slot::ValueSlot;
use super::{Entry, EnvError, Quote};

/// One parsed assignment: the entry, its value's bytes, and where the next statement search resumes.
pub(crate) struct Parsed {
    pub(crate) entry: Entry,
    pub(crate) slot: ValueSlot,
    pub(crate) next: usize,
}

/// A statement reader over a whole document's text (BOM included; parsing starts after it).
pub(crate) struct Parser<'a> {
    path: &'a Path,
    text: &'a str,
    lines: &'a LineIndex,
}

/// Compose's `isSpace`: horizontal blanks, including CR, NEL and NBSP, but not LF.
pub(crate) fn is_blank(c: char) -> bool {
    matches!(c, '\t' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}')
}

/// A character compose accepts in a variable name (`[A-Za-z0-9_.\-\[\]]`, Unicode letters and digits).
pub(crate) fn is_key_char(c: char) -> bool {
    matches!(c, '_' | '.' | '-' | '[' | ']') || c.is_alphabetic() || c.is_numeric()
}

/// True when `key` is a name compose accepts and reads back unchanged.
pub(crate) fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.chars().all(is_key_char)
}

impl<'a> Parser<'a> {
    pub(crate) fn new(path: &'a Path, text: &'a str, lines: &'a LineIndex) -> Parser<'a> {
        Parser { path, text, lines }
    }

    /// Offset of the first byte after a UTF-8 byte order mark (compose skips it).
    pub(crate) fn body_start(&self) -> usize {
        if self.text.starts_with('\u{feff}') { '\u{feff}'.len_utf8() } else { 0 }
    }

    /// The start of the next statement at or after `pos`, skipping blanks, line breaks and `#` comment
    /// lines; `None` at the end of the text.
    pub(crate) fn statement_start(&self, mut pos: usize) -> Option<usize> {
        loop {
            pos += self.text[pos..].find(|c: char| !c.is_whitespace())?;
            if !self.text[pos..].starts_with('#') {
                return Some(pos);
            }
            pos += self.text[pos..].find('\n')?;
        }
    }

    /// Parses the statement that begins at `start`.
    pub(crate) fn statement(&self, start: usize) -> Result<Parsed, EnvError> {
        let text = self.text;
        let mut pos = start;
        let exported =
            text[pos..].starts_with("export") && text[pos + 6..].starts_with(['\t', '\n', '\u{c}', '\r', ' ']);
        if exported {
            pos += 6;
            pos = self.skip_blanks(pos);
        }
        let key_start = pos;
        let mut terminator = None;
        for (i, c) in text[key_start..].char_indices() {
            match c {
                '=' | ':' | '\n' => {
                    terminator = Some((key_start + i, c));
                    break;
                }
                c if is_blank(c) || is_key_char(c) => {}
                character => {
                    let (line, column) = self.position(key_start + i);
                    let path = self.path.to_path_buf();
                    return Err(EnvError::InvalidKeyChar { path, line, column, character });
                }
            }
        }
        let key_end = terminator.map_or(text.len(), |(at, _)| at);
        let key = text[key_start..key_end].trim_end();
        if key.is_empty() {
            let (line, column) = self.position(key_start);
            return Err(EnvError::EmptyKey { path: self.path.to_path_buf(), line, column });
        }
        if let Some(blank) = key.find(char::is_whitespace) {
            let (line, column) = self.position(key_start + blank);
            return Err(EnvError::KeyWithSpace { path: self.path.to_path_buf(), line, column });
        }
        let key_end = key_start + key.len();
        let line = self.lines.line(key_start);
        let entry = |value, quote| Entry { key: key.to_owned(), value, line, quote, exported };
        match terminator {
            None => Err(EnvError::BareKeyAtEof { path: self.path.to_path_buf(), line, key: key.to_owned() }),
            Some((at, '\n')) => Ok(Parsed {
                entry: entry(None, Quote::None),
                slot: ValueSlot { start: key_end, end: key_end, bare: true },
                next: at + 1,
            }),
            Some((at, _)) => {
                let (value, quote, slot, next) = self.value(at + 1)?;
                Ok(Parsed { entry: entry(Some(value), quote), slot, next })
            }
        }
    }

    /// Reads the value after the separator at `after_separator - 1`.
    fn value(&self, after_separator: usize) -> Result<(String, Quote, ValueSlot, usize), EnvError> {
        let text = self.text;
        let start = self.skip_blanks(after_separator);
        let quote = match text.as_bytes().get(start) {
            Some(b'\'') => Quote::Single,
            Some(b'"') => Quote::Double,
            _ => {
                let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
                let raw = &text[start..line_end];
                let value = raw.find(" #").map_or(raw, |cut| &raw[..cut]).trim_end();
                // An empty value's slot sits right after `=`, so an edit lands before any blanks or CR.
                let slot_start = if value.is_empty() { after_separator } else { start };
                let slot = ValueSlot { start: slot_start, end: slot_start + value.len(), bare: false };
                return Ok((value.to_owned(), Quote::None, slot, line_end));
            }
        };
        let quote_byte = text.as_bytes()[start];
        let Some((raw, close)) = scan_quoted(&text[start + 1..], quote_byte) else {
            let (line, column) = self.position(start);
            return Err(EnvError::UnterminatedQuote { path: self.path.to_path_buf(), line, column, quote });
        };
        let end = start + 1 + close + 1;
        let after = self.skip_blanks(end);
        if !(after == text.len() || text[after..].starts_with(['\n', '#'])) {
            let (line, column) = self.position(after);
            return Err(EnvError::TrailingText { path: self.path.to_path_buf(), line, column });
        }
        let value = if quote == Quote::Double { expand_escapes(&raw) } else { raw };
        Ok((value, quote, ValueSlot { start, end, bare: false }, end))
    }

    fn skip_blanks(&self, pos: usize) -> usize {
        self.text[pos..].find(|c| !is_blank(c)).map_or(self.text.len(), |i| pos + i)
    }

    fn position(&self, offset: usize) -> (usize, usize) {
        self.lines.position(self.text, offset)
    }
}
