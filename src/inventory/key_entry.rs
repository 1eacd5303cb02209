//! One environment key of one service in the inventory.

use std::path::PathBuf;

use serde::Serialize;

use crate::project::{EnvVar, Origin};
use crate::secret::fingerprint;

/// Where a value comes from, as the JSON names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    EnvFile,
    Inline,
    Interpolated,
}

/// A key, its origin and, for secrets, the fingerprint of its value. Never the value.
#[derive(Debug, Clone, Serialize)]
pub struct KeyEntry {
    pub key: String,
    pub source: Source,
    pub file: Option<PathBuf>,
    pub line: Option<usize>,
    /// For interpolated values: the variable the value comes from.
    pub variable: Option<String>,
    pub secret: bool,
    /// First 8 hex of the value's SHA-256, for secrets with a value.
    pub fingerprint: Option<String>,
}

impl KeyEntry {
    /// The entry for `var`, secret or not.
    pub fn of(var: &EnvVar, secret: bool) -> Self {
        let (source, file, line, variable) = match &var.origin {
            Origin::EnvFile { file, line } => (Source::EnvFile, Some(file.clone()), Some(*line), None),
            Origin::Inline { file, line } => (Source::Inline, Some(file.clone()), *line, None),
            Origin::Interpolated { file, line, variables, source, .. } => match source {
                // The value really lives in the interpolation env file: point there, it is what a rotation edits.
                Some((env_file, env_line)) => {
                    (Source::Interpolated, Some(env_file.clone()), Some(*env_line), variables.first().cloned())
                }
                None => (Source::Interpolated, Some(file.clone()), *line, variables.first().cloned()),
            },
        };
        let fingerprint = if secret { var.value.as_deref().map(fingerprint) } else { None };
        KeyEntry { key: var.key.clone(), source, file, line, variable, secret, fingerprint }
    }
}
