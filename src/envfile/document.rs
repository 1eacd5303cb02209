//! An env file as a list of assignments over its exact original bytes, editable one value at a time.

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::line_index::LineIndex;
use super::parser::{Parser, is_blank, is_valid_key};
use super::value_slot::ValueSlot;
use super::{Entry, EnvError, Quote};

/// A parsed env file that keeps every byte of the original: `to_bytes` of an unedited document is the input,
/// and `set` changes only the bytes of one value (or appends one line).
#[derive(Clone, PartialEq, Eq)]
pub struct EnvDocument {
    path: PathBuf,
    bytes: Vec<u8>,
    hash: String,
    entries: Vec<Entry>,
    slots: Vec<ValueSlot>,
}

/// How many bad lines a lenient parse lists one by one.
pub const MAX_LISTED_ERRORS: usize = 1000;

impl EnvDocument {
    /// Parses `bytes` as compose would, failing on the first bad line; `path` is only used in messages.
    pub fn parse(path: impl Into<PathBuf>, bytes: &[u8]) -> Result<EnvDocument, EnvError> {
        let path = path.into();
        let lines = LineIndex::new(bytes);
        let text = std::str::from_utf8(bytes).map_err(|err| invalid_utf8(&path, &lines, bytes, err.valid_up_to()))?;
        let parser = Parser::new(&path, text, &lines);
        let (mut entries, mut slots) = (Vec::new(), Vec::new());
        let mut pos = parser.body_start();
        while let Some(start) = parser.statement_start(pos) {
            let parsed = parser.statement(start)?;
            entries.push(parsed.entry);
            slots.push(parsed.slot);
            pos = parsed.next;
        }
        Ok(EnvDocument::new(path, bytes, entries, slots))
    }

    /// Parses `bytes` without stopping: each bad line is reported and kept verbatim (it yields no entry), so
    /// a linter sees every problem and `to_bytes` still returns the input. Past [`MAX_LISTED_ERRORS`] bad lines
    /// the rest are counted in one [`EnvError::MoreErrors`], so a file of garbage costs bounded memory.
    pub fn parse_lenient(path: impl Into<PathBuf>, bytes: &[u8]) -> (EnvDocument, Vec<EnvError>) {
        let path = path.into();
        let lines = LineIndex::new(bytes);
        let mut errors = Vec::new();
        let mut more: Option<(usize, usize)> = None;
        // Bad lines are masked into same-length comment lines, so offsets stay those of `bytes`.
        // Validation resumes after each masked line: once over the file, however many lines are bad.
        let mut masked = bytes.to_vec();
        let mut from = 0;
        while let Err(err) = std::str::from_utf8(&masked[from..]) {
            let at = from + err.valid_up_to();
            let error = invalid_utf8(&path, &lines, &masked, at);
            note(&mut errors, &mut more, error, lines.line(at));
            let line = lines.line_range(at, bytes.len());
            mask(&mut masked, line.clone());
            from = line.end;
        }
        let mut text =
            String::from_utf8(masked).unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned());
        let (mut entries, mut slots) = (Vec::new(), Vec::new());
        let mut pos = Parser::new(&path, &text, &lines).body_start();
        loop {
            let parser = Parser::new(&path, &text, &lines);
            let Some(start) = parser.statement_start(pos) else {
                break;
            };
            match parser.statement(start) {
                Ok(parsed) => {
                    entries.push(parsed.entry);
                    slots.push(parsed.slot);
                    pos = parsed.next;
                }
                Err(err) => {
                    // Mask from the statement's first line through the line the error names.
                    let first = lines.line_range(start, bytes.len());
                    let last_line = err.line().unwrap_or(1).max(lines.line(start));
                    let mut end = first.end;
                    while lines.line(end) < last_line && end < bytes.len() {
                        end = lines.line_range(end + 1, bytes.len()).end;
                    }
                    // In place, same length, whole lines: no copy of the whole text per bad line (that made a
                    // file of many bad lines quadratic).
                    let mut masked_lines = text.as_bytes()[first.start..end].to_vec();
                    let all = 0..masked_lines.len();
                    mask(&mut masked_lines, all);
                    text.replace_range(first.start..end, &String::from_utf8_lossy(&masked_lines));
                    note(&mut errors, &mut more, err, lines.line(start));
                    pos = start;
                }
            }
        }
        if let Some((line, more)) = more {
            errors.push(EnvError::MoreErrors { path: path.clone(), line, more });
        }
        (EnvDocument::new(path, bytes, entries, slots), errors)
    }

    /// Reads the file at `path` (at most [`super::MAX_INPUT_FILE_SIZE`] bytes) and parses it strictly.
    pub fn read(path: &Path) -> Result<EnvDocument, EnvError> {
        let bytes = super::read_bounded(path).map_err(|source| EnvError::Read { path: path.to_path_buf(), source })?;
        EnvDocument::parse(path, &bytes)
    }

    /// The path the document was read from (or named at parse time).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every assignment in file order, duplicates included.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The effective occurrence of `key`: the last one.
    ///
    /// When that is a bare `KEY` line, compose takes the value from its environment if the variable is set
    /// there, and otherwise keeps the earlier assignment: see [`EnvDocument::get_assigned`].
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|entry| entry.key == key)
    }

    /// The last occurrence of `key` that has a value: what compose uses when the variable of a later bare
    /// `KEY` line is not set in its environment (a bare line never unsets an earlier value).
    pub fn get_assigned(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|entry| entry.key == key && entry.value.is_some())
    }

    /// Sets `key` to the exact bytes of `value`, editing only its effective (last) occurrence.
    ///
    /// Only that value's bytes change: `export`, inline comments, blanks and line endings stay. The current
    /// quoting is kept when it still carries the value exactly, else the simplest safe one is chosen; a `$`
    /// always ends up single-quoted or escaped, never open to interpolation. A bare `KEY` line becomes
    /// `KEY=value`; a missing key is appended as a new line in the file's line-ending style.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), EnvError> {
        let index = self.entries.iter().rposition(|entry| entry.key == key);
        let line = index.map_or_else(|| self.appended_line(), |i| self.entries[i].line);
        if !is_valid_key(key) {
            return Err(EnvError::InvalidKeyName { path: self.path.clone(), line, key: key.to_owned() });
        }
        if value.contains('\0') {
            return Err(EnvError::UnrepresentableValue { path: self.path.clone(), line, key: key.to_owned() });
        }
        let (range, replacement) = match index {
            Some(i) => {
                let slot = self.slots[i];
                let tail = self.line_tail(slot.end);
                let current = self.entries[i].value.as_ref().map(|_| self.entries[i].quote);
                let quote =
                    current.filter(|quote| quote.fits(value, &tail)).unwrap_or_else(|| Quote::minimal(value, &tail));
                let token = quote.render(value);
                let end = if quote == Quote::None { slot.end } else { slot.end + stray_whitespace(&tail) };
                (slot.start..end, if slot.bare { format!("={token}") } else { token })
            }
            None => {
                let eol = self.line_ending();
                let needs_break =
                    !self.bytes.is_empty() && self.bytes != "\u{feff}".as_bytes() && !self.bytes.ends_with(b"\n");
                let token = Quote::minimal(value, "").render(value);
                let len = self.bytes.len();
                (len..len, format!("{}{key}={token}{eol}", if needs_break { eol } else { "" }))
            }
        };
        let mut bytes = self.bytes.clone();
        bytes.splice(range, replacement.into_bytes());
        let (edited, _) = EnvDocument::parse_lenient(self.path.clone(), &bytes);
        let added = usize::from(index.is_none());
        if edited.entries.len() != self.entries.len() + added
            || edited.get(key).and_then(Entry::literal).as_deref() != Some(value)
        {
            return Err(EnvError::EditVerification { path: self.path.clone(), line, key: key.to_owned() });
        }
        self.bytes = bytes;
        self.entries = edited.entries;
        self.slots = edited.slots;
        Ok(())
    }

    /// The current bytes: the input unchanged, or with the edits made by `set`.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    /// Hex SHA-256 of the bytes as read; compare it with a fresh read to detect a concurrent edit.
    pub fn content_hash(&self) -> String {
        self.hash.clone()
    }

    /// Byte span of each entry's value token, parallel to `entries`.
    #[cfg(test)]
    pub(crate) fn slots(&self) -> &[ValueSlot] {
        &self.slots
    }

    /// The rest of the line after `offset`, without the LF.
    fn line_tail(&self, offset: usize) -> String {
        let rest = &self.bytes[offset..];
        let end = rest.iter().position(|b| *b == b'\n').unwrap_or(rest.len());
        String::from_utf8_lossy(&rest[..end]).into_owned()
    }

    /// CRLF when the first line break is one, else LF.
    fn line_ending(&self) -> &'static str {
        match self.bytes.iter().position(|b| *b == b'\n') {
            Some(at) if at > 0 && self.bytes[at - 1] == b'\r' => "\r\n",
            _ => "\n",
        }
    }

    /// The line a newly appended assignment lands on.
    fn appended_line(&self) -> usize {
        let last = LineIndex::new(&self.bytes).line(self.bytes.len());
        if self.bytes.is_empty() || self.bytes.ends_with(b"\n") { last } else { last + 1 }
    }
}

/// Debug output names the keys only: values are usually secrets.
impl fmt::Debug for EnvDocument {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let keys: Vec<&str> = self.entries.iter().map(|entry| entry.key.as_str()).collect();
        f.debug_struct("EnvDocument").field("path", &self.path).field("keys", &keys).finish_non_exhaustive()
    }
}

impl EnvDocument {
    fn new(path: PathBuf, bytes: &[u8], entries: Vec<Entry>, slots: Vec<ValueSlot>) -> EnvDocument {
        let hash = hex::encode(Sha256::digest(bytes));
        EnvDocument { path, bytes: bytes.to_vec(), hash, entries, slots }
    }
}

/// The error for the invalid UTF-8 sequence at byte `at`, with its line and (character) column.
fn invalid_utf8(path: &Path, lines: &LineIndex, bytes: &[u8], at: usize) -> EnvError {
    let start = lines.line_start(at);
    let column = String::from_utf8_lossy(&bytes[start..at]).chars().count() + 1;
    EnvError::InvalidUtf8 { path: path.to_path_buf(), line: lines.line(at), column }
}

/// Bytes at the start of `tail` up to the last whitespace character compose does not count as a blank (U+3000,
/// U+2003, ...). An unquoted value's trim drops them, but after a closing quote compose allows blanks only: they
/// would become trailing text, so a quoted replacement takes them with the old token.
fn stray_whitespace(tail: &str) -> usize {
    let run = tail.find(|c: char| !c.is_whitespace()).unwrap_or(tail.len());
    tail[..run].char_indices().rfind(|(_, c)| !is_blank(*c)).map_or(0, |(at, c)| at + c.len_utf8())
}

/// Lists `error` while fewer than [`MAX_LISTED_ERRORS`] are listed, else counts it in `more` (first line, count).
fn note(errors: &mut Vec<EnvError>, more: &mut Option<(usize, usize)>, error: EnvError, line: usize) {
    if errors.len() < MAX_LISTED_ERRORS {
        errors.push(error);
    } else {
        more.get_or_insert((line, 0)).1 += 1;
    }
}

/// Overwrites `range` with a `#` comment of the same length (keeping any LF), for lenient parsing.
fn mask(bytes: &mut [u8], range: std::ops::Range<usize>) {
    for (i, byte) in bytes[range].iter_mut().enumerate() {
        if *byte != b'\n' {
            *byte = if i == 0 { b'#' } else { b' ' };
        }
    }
}
