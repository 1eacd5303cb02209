//! Why a recreated service does not count as done.

use std::fmt;

use super::EnvMismatch;
use crate::docker::Readiness;

/// A recreate that ran but did not leave the service as it should be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecreateFailure {
    /// `up` left no container for the service.
    NoContainer,
    /// The new container did not become healthy (or running) in time.
    NotReady(Readiness),
    /// The container ID did not change: compose reused the old container.
    SameContainer,
    /// The new container does not carry the env files' values.
    EnvMismatch(Vec<EnvMismatch>),
    /// A Swarm service's rolling update did not complete: paused, rolled back, or still running at the timeout.
    UpdateFailed(String),
}

impl fmt::Display for RecreateFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecreateFailure::NoContainer => f.write_str("no container after `up`"),
            RecreateFailure::NotReady(readiness) => write!(f, "did not come up: {readiness}"),
            RecreateFailure::SameContainer => f.write_str("the container was not replaced (same ID)"),
            RecreateFailure::UpdateFailed(why) => write!(f, "the rolling update did not complete: {why}"),
            RecreateFailure::EnvMismatch(keys) => {
                let keys: Vec<String> = keys
                    .iter()
                    .map(|m| match &m.actual {
                        // A container path: a compose secret the container reads.
                        Some(actual) if m.key.starts_with('/') => {
                            format!("{} holds {actual}, the secret gives {}", m.key, m.expected)
                        }
                        Some(actual) => format!("{} has {actual}, env files give {}", m.key, m.expected),
                        None => format!("{} is not set, env files give {}", m.key, m.expected),
                    })
                    .collect();
                write!(f, "the new container does not carry the env files' values: {}", keys.join("; "))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_fingerprints() {
        let m = RecreateFailure::EnvMismatch(vec![EnvMismatch {
            key: "REDIS_PASSWORD".into(),
            expected: "aaaa1111".into(),
            actual: Some("bbbb2222".into()),
        }]);
        assert_eq!(
            m.to_string(),
            "the new container does not carry the env files' values: REDIS_PASSWORD has bbbb2222, env files give aaaa1111"
        );
        assert_eq!(RecreateFailure::NotReady(Readiness::Unhealthy).to_string(), "did not come up: unhealthy");
    }
}
