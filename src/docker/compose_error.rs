//! Failures running `docker compose`.

/// A failed compose invocation. Messages carry compose's own stderr (secret values redacted).
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// Neither `docker compose` nor `docker-compose` answered `version`.
    #[error(
        "docker compose is not available: `{docker} compose version` failed ({v2}) and docker-compose failed ({v1})"
    )]
    NotFound { docker: String, v2: String, v1: String },
    /// The process could not be started.
    #[error("cannot run `{command}`")]
    Spawn { command: String, source: std::io::Error },
    /// Compose ran and failed.
    #[error("`{command}` failed for {services} ({status}):\n{stderr}")]
    Failed { command: String, services: String, status: String, stderr: String },
}
