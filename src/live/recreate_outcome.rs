//! What recreating one service did.

use std::time::Duration;

use super::RecreateFailure;
use crate::docker::{ContainerInfo, Readiness};

/// One service's recreate: old and new container, time taken, health, and what went wrong if anything.
#[derive(Debug, Clone)]
pub struct RecreateOutcome {
    pub service: String,
    /// The containers before (usually one; none when the service was not created yet).
    pub old_ids: Vec<String>,
    /// The new container as last inspected.
    pub new: Option<ContainerInfo>,
    /// From `down` to ready (or to giving up).
    pub elapsed: Duration,
    /// How waiting ended, when it got that far.
    pub readiness: Option<Readiness>,
    pub failure: Option<RecreateFailure>,
    /// The new container's last log lines (secret values redacted), when it failed.
    pub logs: Vec<String>,
    /// The output of its last healthcheck (secret values redacted), when it failed.
    pub health_output: Option<String>,
}

impl RecreateOutcome {
    /// The outcome of `service` before anything is known but its old containers.
    pub fn begun(service: &str, old_ids: Vec<String>) -> Self {
        RecreateOutcome {
            service: service.to_string(),
            old_ids,
            new: None,
            elapsed: Duration::ZERO,
            readiness: None,
            failure: None,
            logs: Vec::new(),
            health_output: None,
        }
    }

    /// True when the service is up on a new container with the env files' values.
    pub fn is_ok(&self) -> bool {
        self.failure.is_none()
    }
}
