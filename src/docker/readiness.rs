//! How waiting for a container to come up ended.

use std::fmt;

use super::Health;

/// The outcome of [`super::DockerClient::wait_ready`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    /// The healthcheck passed.
    Healthy,
    /// No healthcheck: the container has been running for a moment without exiting.
    Running,
    /// The healthcheck failed its retries.
    Unhealthy,
    /// The container stopped (its exit code, when known).
    Exited { code: Option<i64> },
    /// The timeout passed first; `state` and `health` are the last seen.
    TimedOut { state: String, health: Health },
}

impl Readiness {
    /// True when the service is up.
    pub fn is_ready(&self) -> bool {
        matches!(self, Readiness::Healthy | Readiness::Running)
    }
}

impl fmt::Display for Readiness {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Readiness::Healthy => f.write_str("healthy"),
            Readiness::Running => f.write_str("running"),
            Readiness::Unhealthy => f.write_str("unhealthy"),
            Readiness::Exited { code: Some(code) } => write!(f, "exited with code {code}"),
            Readiness::Exited { code: None } => f.write_str("exited"),
            Readiness::TimedOut { state, health: Health::None } => write!(f, "timed out ({state})"),
            Readiness::TimedOut { state, health } => write!(f, "timed out ({state}, {health})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert!(Readiness::Running.is_ready());
        assert!(!Readiness::Unhealthy.is_ready());
        assert_eq!(Readiness::Exited { code: Some(3) }.to_string(), "exited with code 3");
        let t = Readiness::TimedOut { state: "running".into(), health: Health::Starting };
        assert_eq!(t.to_string(), "timed out (running, starting)");
    }
}
