//! How an interpolated string got its value: the variables it read and where the first one was defined.

use std::path::PathBuf;

/// The record interpolation leaves on a value that referenced variables.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Substitution {
    /// The text before interpolation (`${DB_PASSWORD:-x}`).
    pub template: String,
    /// Variables whose value (or absence) decided the result, in order of first use, without duplicates.
    pub variables: Vec<String>,
    /// Where the first variable's value was defined: an interpolation env file and line. `None` when it came from
    /// the process environment, or when the variable was unset.
    pub source: Option<(PathBuf, usize)>,
}
