//! One `env_file` entry of a service.

use std::path::PathBuf;

/// An env file bound to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFileBinding {
    /// Absolute path (relative paths resolve against the declaring compose file's directory).
    pub path: PathBuf,
    /// `required:` (true unless the long form says false).
    pub required: bool,
    /// Whether the file exists now.
    pub exists: bool,
    /// The compose file that declared the binding.
    pub declared_in: PathBuf,
    /// The long form's `format:` (compose knows `raw`), when given; recorded, not interpreted.
    pub format: Option<String>,
}
