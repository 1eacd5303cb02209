//! One secret-bearing key of one service: drift and live probe.

use std::path::PathBuf;

use time::OffsetDateTime;

use super::{Drift, ProbeResult};

/// A key as `status` reports it. Values appear only as fingerprints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyStatus {
    pub key: String,
    /// For a compose secret (`key` is then its name): the path in the container the value was read from.
    pub secret_target: Option<String>,
    /// Fingerprint of the value the project gives now.
    pub fingerprint: String,
    /// Fingerprint of the value in the container, when it has the key.
    pub container_fingerprint: Option<String>,
    /// The file that holds the value now (env file, interpolation env file or compose file).
    pub file: PathBuf,
    pub line: Option<usize>,
    pub drift: Drift,
    /// The live login with this value, for store credentials (absent with `--no-probe` or for other keys).
    pub probe: Option<ProbeResult>,
    /// The last successful rotation of this key in this file, from the audit log beside it.
    pub last_rotated: Option<OffsetDateTime>,
}

impl KeyStatus {
    /// How the key is named in human output: `REDIS_PASSWORD`, or `secret db_password` for a compose secret.
    pub fn label(&self) -> String {
        match &self.secret_target {
            Some(_) => format!("secret {}", self.key),
            None => self.key.clone(),
        }
    }

    /// True when the key is stale or missing, or its store refused it or could not be reached.
    pub fn is_problem(&self) -> bool {
        self.drift.is_problem() || self.probe.as_ref().is_some_and(|p| p.probe.is_problem())
    }
}
