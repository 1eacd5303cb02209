//! An env file the audit looks at: bound by services, used for interpolation, or a template.

use std::path::{Path, PathBuf};

use crate::envfile::{Entry, EnvDocument, EnvError};
use crate::inventory::SecretRule;

/// One env file with what the audit needs to know about it.
#[derive(Debug)]
pub struct EnvFileInfo {
    pub path: PathBuf,
    /// Services binding it through `env_file`.
    pub services: Vec<String>,
    /// True when it is an interpolation source (`--env-file`, `.env`).
    pub interpolation: bool,
    /// The parsed document (lenient: lines in error are skipped), `None` when it could not be read.
    pub doc: Option<EnvDocument>,
    /// Lines compose cannot parse.
    pub syntax_errors: Vec<EnvError>,
    /// Why the file could not be read (missing files are not read errors: they have no `doc`).
    pub read_error: Option<String>,
    /// Unix permission bits.
    pub mode: Option<u32>,
}

impl EnvFileInfo {
    /// Reads and leniently parses `path`.
    pub fn load(path: &Path, services: Vec<String>, interpolation: bool) -> Self {
        let mut info = EnvFileInfo {
            path: path.to_path_buf(),
            services,
            interpolation,
            doc: None,
            syntax_errors: Vec::new(),
            read_error: None,
            mode: None,
        };
        match crate::envfile::read_bounded(path) {
            Ok(bytes) => {
                let (doc, errors) = EnvDocument::parse_lenient(path, &bytes);
                info.doc = Some(doc);
                info.syntax_errors = errors;
                info.mode =
                    std::fs::metadata(path).ok().map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()));
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => info.read_error = Some(err.to_string()),
        }
        info
    }

    /// The effective entries (last one wins for duplicates) that hold secrets under `rule`, with their values.
    /// A value built from `${...}` references holds no secret of its own: the referenced keys are judged instead.
    pub fn secrets<'a>(&'a self, rule: &SecretRule) -> Vec<(&'a Entry, &'a str)> {
        let Some(doc) = &self.doc else { return Vec::new() };
        rule.secret_entries(doc)
            .into_iter()
            .filter(|e| doc.get(&e.key).is_some_and(|last| last.line == e.line))
            .filter(|e| !(e.is_interpolated() && e.value.as_deref().is_some_and(|v| v.contains("${"))))
            .filter_map(|e| e.value.as_deref().filter(|v| !v.is_empty()).map(|v| (e, v)))
            .collect()
    }

    /// True when the file holds at least one non-empty secret.
    pub fn holds_secrets(&self, rule: &SecretRule) -> bool {
        !self.secrets(rule).is_empty()
    }
}
