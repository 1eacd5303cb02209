//! Failures that stop `recreate` outright (as opposed to a service that did not come up).

use crate::docker::{ComposeError, DockerError};

/// The engine or compose failed.
#[derive(Debug, thiserror::Error)]
pub enum RecreateError {
    /// An engine call failed.
    #[error(transparent)]
    Docker(#[from] DockerError),
    /// `docker compose up --force-recreate` failed for the service.
    #[error("recreating service {service}: {source}")]
    Compose { service: String, source: ComposeError },
}
