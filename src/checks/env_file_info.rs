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
    /// Indices into `doc`'s entries of the secrets [`EnvFileInfo::secrets`] returns: judged once at load, as
    /// most checks ask for them.
    secret_indices: Vec<usize>,
}

impl EnvFileInfo {
    /// Reads and leniently parses `path`, and finds its secrets under `rule`.
    pub fn load(path: &Path, services: Vec<String>, interpolation: bool, rule: &SecretRule) -> Self {
        EnvFileInfo::with_parsed(path, services, interpolation, rule, None)
    }

    /// Like [`EnvFileInfo::load`], taking the document and the lines its lenient parse skipped when the project
    /// loader already parsed `path` (`parsed`), reading and parsing the file only when it did not.
    pub fn with_parsed(
        path: &Path,
        services: Vec<String>,
        interpolation: bool,
        rule: &SecretRule,
        parsed: Option<(EnvDocument, Vec<EnvError>)>,
    ) -> Self {
        let mut info = EnvFileInfo {
            path: path.to_path_buf(),
            services,
            interpolation,
            doc: None,
            syntax_errors: Vec::new(),
            read_error: None,
            mode: None,
            secret_indices: Vec::new(),
        };
        let parsed = match parsed {
            Some(parsed) => Ok(parsed),
            None => crate::envfile::read_bounded(path).map(|bytes| EnvDocument::parse_lenient(path, &bytes)),
        };
        match parsed {
            Ok((doc, errors)) => {
                info.secret_indices = secret_indices(&doc, rule);
                info.doc = Some(doc);
                info.syntax_errors = errors;
                info.mode = file_mode(path);
            }
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {}
            Err(err) => info.read_error = Some(err.to_string()),
        }
        info
    }

    /// The effective entries (last one wins for duplicates) that hold secrets, with their values. A value built
    /// from `${...}` references holds no secret of its own: the referenced keys are judged instead.
    pub fn secrets(&self) -> Vec<(&Entry, &str)> {
        let Some(doc) = &self.doc else { return Vec::new() };
        self.secret_indices
            .iter()
            .filter_map(|&i| doc.entries().get(i))
            .filter_map(|e| e.value.as_deref().map(|v| (e, v)))
            .collect()
    }

    /// True when the file holds at least one non-empty secret.
    pub fn holds_secrets(&self) -> bool {
        !self.secret_indices.is_empty()
    }
}

/// The indices of the entries [`EnvFileInfo::secrets`] returns.
fn secret_indices(doc: &EnvDocument, rule: &SecretRule) -> Vec<usize> {
    let entries = doc.entries();
    // The effective occurrence of each key (what `EnvDocument::get` returns), for all keys in one pass.
    let mut last: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    for (i, e) in entries.iter().enumerate() {
        last.insert(&e.key, i);
    }
    let is_last = |e: &Entry| last.get(e.key.as_str()).is_some_and(|&l| entries[l].line == e.line);
    entries
        .iter()
        .zip(rule.entry_secret_flags(doc))
        .enumerate()
        .filter(|(_, (e, secret))| *secret && is_last(e))
        .filter(|(_, (e, _))| !(e.is_interpolated() && e.value.as_deref().is_some_and(|v| v.contains("${"))))
        .filter(|(_, (e, _))| e.value.as_deref().is_some_and(|v| !v.is_empty()))
        .map(|(i, _)| i)
        .collect()
}

/// The Unix permission bits of `path`, when it can be stat'ed.
pub(super) fn file_mode(path: &Path) -> Option<u32> {
    std::fs::metadata(path).ok().map(|m| std::os::unix::fs::PermissionsExt::mode(&m.permissions()))
}
