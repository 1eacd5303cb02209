//! The content of a compose `file:` secret as a rotation edits it: the credential, and the line breaks after it.

use std::path::Path;

use sha2::{Digest, Sha256};

/// A secret file read whole. The credential is its content without trailing line breaks (as the official images'
/// `file_env`, `$(< "$FILE")`, reads `*_FILE` variables); the line breaks are kept apart so that a new value is
/// written with the same ending (`echo pw > file` leaves `\n`, `printf pw` none, an editor on Windows `\r\n`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretFile {
    bytes: Vec<u8>,
    /// Where the trailing line breaks start.
    value_end: usize,
}

impl SecretFile {
    /// Reads `path` (at most the bounded size of env files; text only).
    pub fn read(path: &Path) -> std::io::Result<SecretFile> {
        let text = crate::envfile::read_bounded_to_string(path)?;
        Ok(SecretFile::from_text(text))
    }

    /// The file holding `text`.
    pub fn from_text(text: String) -> SecretFile {
        let value_end = text.trim_end_matches(['\n', '\r']).len();
        SecretFile { bytes: text.into_bytes(), value_end }
    }

    /// The credential: the content without its trailing line breaks.
    pub fn value(&self) -> &str {
        // Both ends lie on char boundaries of a String (trimming ASCII only).
        std::str::from_utf8(&self.bytes[..self.value_end]).unwrap_or_default()
    }

    /// The content's lines (a password is one; a key or a certificate more).
    pub fn lines(&self) -> usize {
        self.value().lines().count().max(1)
    }

    /// The file's bytes with `value` in place of the credential and the same trailing line breaks.
    pub fn with_value(&self, value: &str) -> Vec<u8> {
        let mut bytes = value.as_bytes().to_vec();
        bytes.extend_from_slice(&self.bytes[self.value_end..]);
        bytes
    }

    /// SHA-256 (hex) of the whole file, as [`crate::envfile::EnvDocument::content_hash`] hashes env files: a plan
    /// records it so that a file changed by someone else before commit is refused.
    pub fn content_hash(&self) -> String {
        hex::encode(Sha256::digest(&self.bytes))
    }

    /// The whole content.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trailing_line_breaks_are_kept_apart_and_reused() {
        for (text, value, ending) in
            [("pw\n", "pw", "\n"), ("pw", "pw", ""), ("pw\r\n", "pw", "\r\n"), ("pw\n\n", "pw", "\n\n")]
        {
            let file = SecretFile::from_text(text.to_string());
            assert_eq!(file.value(), value, "{text:?}");
            assert_eq!(file.with_value("new"), format!("new{ending}").into_bytes(), "{text:?}");
            assert_eq!(file.lines(), 1);
        }
        assert_eq!(SecretFile::from_text("-----BEGIN\nabc\n-----END\n".into()).lines(), 3);
        assert_eq!(SecretFile::from_text("\n".into()).value(), "");
    }

    #[test]
    fn the_hash_is_the_env_documents_hash_of_the_same_bytes() {
        let doc = crate::envfile::EnvDocument::parse(Path::new("x"), b"A=1\n").expect("parse");
        assert_eq!(SecretFile::from_text("A=1\n".into()).content_hash(), doc.content_hash());
    }
}
