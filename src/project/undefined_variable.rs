//! A variable a compose file or env file reads without a fallback while it is unset.

use std::path::PathBuf;

/// `${VAR}` (or `$VAR`) with `VAR` unset: compose warns and substitutes "" (the `check` command reports it as
/// `undefined-variable`). Variables with a default (`${VAR:-x}`, `${VAR-x}`) or an alternative are never listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndefinedVariable {
    pub name: String,
    /// The compose file or env file that reads it.
    pub file: PathBuf,
    pub line: Option<usize>,
    /// The service whose definition reads it (`None` at the top level of a compose file or in an interpolation
    /// env file).
    pub service: Option<String>,
    /// Where in the file: a dotted YAML path (`services.web.environment.DB_URL`) or, in an env file, the key.
    pub key: String,
}
