//! One `env_file` entry of a service.

use std::path::{Path, PathBuf};

/// An env file bound to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFileBinding {
    /// Absolute path (relative paths resolve against the declaring compose file's directory).
    pub path: PathBuf,
    /// `required:` (true unless the long form says false).
    pub required: bool,
    /// Whether a regular file is there now (follows symlinks).
    pub exists: bool,
    /// Whether nothing is there at all. A path that is there but is no file one can read (a directory, a file
    /// behind a directory one may not enter) is not missing: reading it says why.
    pub missing: bool,
    /// The compose file that declared the binding.
    pub declared_in: PathBuf,
    /// The long form's `format:` (compose knows `raw`), when given; recorded, not interpreted.
    pub format: Option<String>,
}

/// True when nothing is at `path`: "not found", as opposed to "there but unreadable" (permission denied, a
/// directory), which reading the file reports with its own reason.
pub fn is_missing(path: &Path) -> bool {
    presence(path).1
}

/// Whether a regular file is at `path` (following symlinks) and whether nothing is there at all
/// ([`is_missing`]), from one `stat`.
pub(crate) fn presence(path: &Path) -> (bool, bool) {
    match std::fs::metadata(path) {
        Ok(metadata) => (metadata.is_file(), false),
        Err(err) => (false, err.kind() == std::io::ErrorKind::NotFound),
    }
}
