//! One problem found by a check: where it is and what it is, never the secret value.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{CheckName, Severity};

/// A finding, in the documented JSON shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub check: CheckName,
    pub severity: Severity,
    /// The file the finding is about, relative to the git work tree (else the project directory) when below it.
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    pub service: Option<String>,
    pub key: Option<String>,
    /// Fingerprint of the secret value concerned, when one is.
    pub fingerprint: Option<String>,
    /// Every key holding the value concerned, when it is more than `key` (one finding per value, not per key).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    pub message: String,
    /// Stable identity for `--baseline` and SARIF `partialFingerprints`: survives line moves, changes with the value
    /// (through its keyed fingerprint: stable for one fingerprint key).
    #[serde(default)]
    pub id: String,
}

impl Finding {
    /// A finding of `check` at its default severity with `message`; locate it with the builder methods.
    pub fn new(check: CheckName, severity: Severity, message: impl Into<String>) -> Self {
        Finding {
            check,
            severity,
            file: None,
            line: None,
            service: None,
            key: None,
            fingerprint: None,
            keys: Vec::new(),
            message: message.into(),
            id: String::new(),
        }
    }

    /// Sets the file (and line).
    pub fn at(mut self, file: &Path, line: Option<usize>) -> Self {
        self.file = Some(file.to_path_buf());
        self.line = line;
        self
    }

    /// Sets the service.
    pub fn service(mut self, service: &str) -> Self {
        self.service = Some(service.to_string());
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_string());
        self
    }

    /// Sets every key holding the value (when the finding stands for several).
    pub fn keys(mut self, keys: Vec<String>) -> Self {
        self.keys = keys;
        self
    }

    /// Sets the value fingerprint.
    pub fn fingerprint(mut self, fingerprint: impl Into<String>) -> Self {
        self.fingerprint = Some(fingerprint.into());
        self
    }

    /// Makes `file` relative to `base` (a file outside it as `../config/prod.env`, so that ids and baselines do not
    /// depend on where the project sits on a machine) and computes the stable id. Called once per finding by the
    /// runner.
    pub fn finish(mut self, base: &Path) -> Self {
        if let Some(relative) = self.file.as_deref().and_then(|f| relative_to(f, base)) {
            self.file = Some(relative);
        }
        self.id = self.identity(self.fingerprint.as_deref().unwrap_or(""));
        self
    }

    /// The id without the value: what a baseline made with another fingerprint key (another machine, a fresh CI
    /// checkout) can still be matched on. Computed from the JSON fields, so any report yields it.
    pub fn location_id(&self) -> String {
        self.identity("")
    }

    fn identity(&self, fingerprint: &str) -> String {
        let mut hasher = Sha256::new();
        for part in [
            self.check.as_str(),
            &self.file.as_ref().map(|f| f.display().to_string()).unwrap_or_default(),
            self.service.as_deref().unwrap_or(""),
            self.key.as_deref().unwrap_or(""),
            fingerprint,
            // Findings with no key or value (a port, a volume) are told apart by their message.
            if self.key.is_none() && self.fingerprint.is_none() { &self.message } else { "" },
        ] {
            hasher.update(part.as_bytes());
            hasher.update([0]);
        }
        hex::encode(&hasher.finalize()[..8])
    }
}

/// `file` relative to `base`, both absolute: below it as is, beside it through `..`; `None` when either is relative.
pub(super) fn relative_to(file: &Path, base: &Path) -> Option<PathBuf> {
    if let Ok(below) = file.strip_prefix(base) {
        return Some(below.to_path_buf());
    }
    if !file.is_absolute() || !base.is_absolute() {
        return None;
    }
    let (file_parts, base_parts): (Vec<_>, Vec<_>) = (file.components().collect(), base.components().collect());
    let common = file_parts.iter().zip(&base_parts).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base_parts.len() {
        out.push("..");
    }
    for part in &file_parts[common..] {
        out.push(part);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_outside_the_base_are_relative_to_it() {
        let base = Path::new("/srv/shop/compose");
        assert_eq!(relative_to(Path::new("/srv/shop/compose/.env"), base), Some(PathBuf::from(".env")));
        assert_eq!(
            relative_to(Path::new("/srv/shop/config/prod.env"), base),
            Some(PathBuf::from("../config/prod.env"))
        );
        assert_eq!(relative_to(Path::new("/etc/app.env"), base), Some(PathBuf::from("../../../etc/app.env")));
        assert_eq!(relative_to(Path::new("x.env"), base), None);
    }
}
