//! One line of the audit log: who rotated what, when, with which result. Fingerprints only, never values.

use serde::{Deserialize, Serialize};

/// An audit record, one JSON object per line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// UTC time, RFC 3339.
    pub time: String,
    pub operator: String,
    pub host: String,
    /// The env file edited (absolute).
    pub file: String,
    pub key: String,
    /// `redis`, `mongo` or `env`.
    pub store: String,
    pub old_fingerprint: Option<String>,
    pub new_fingerprint: String,
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub duration_ms: u64,
    /// `ok`, `rolled-back` or `failed` for a rotation; `initialised` for a value `init` generated.
    pub result: String,
}

/// The result of the entry `docker secops init` writes for each secret it generates.
pub const INITIALISED: &str = "initialised";

impl AuditEntry {
    /// True when the entry put a new value in place (a successful rotation, or `init`): the value's age counts
    /// from it.
    pub fn sets_value(&self) -> bool {
        self.result == "ok" || self.result == INITIALISED
    }

    /// The entry's time, when it parses.
    pub fn timestamp(&self) -> Option<time::OffsetDateTime> {
        time::OffsetDateTime::parse(&self.time, &time::format_description::well_known::Rfc3339).ok()
    }
}
