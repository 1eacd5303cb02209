//! Where an environment value comes from.

use std::path::PathBuf;

/// The source of an environment value, the blast radius of rotating it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A literal in the compose file's `environment:` block.
    Inline { file: PathBuf, line: Option<usize> },
    /// An `environment:` value that interpolates variables (`${VAR}`); `source` is where the first variable's value
    /// was found (an interpolation env file and line), `None` when it came from the process environment or a default.
    /// `optional` is true when the value is one variable with an empty default of the author's own
    /// (`${VAR:-}`): the author says empty is fine.
    Interpolated {
        file: PathBuf,
        line: Option<usize>,
        variables: Vec<String>,
        source: Option<(PathBuf, usize)>,
        optional: bool,
    },
    /// A line of an `env_file`.
    EnvFile { file: PathBuf, line: usize },
}
