//! A variable compose interpolated into a value that is visible outside the container's environment.

use std::path::PathBuf;

/// One `${VAR}` compose substituted into `command`, `entrypoint`, `healthcheck.test` or `build.args`: unlike an
/// environment value, the result shows in `docker inspect`, in `ps` on the host, or in the image history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgumentVariable {
    /// Where it went: `command`, `entrypoint`, `healthcheck.test` or `build.args.KEY`.
    pub field: String,
    /// The variable compose read (`$$VAR`, left for the container's shell, is not one).
    pub variable: String,
    /// The compose file and line of the value.
    pub file: PathBuf,
    pub line: Option<usize>,
}
