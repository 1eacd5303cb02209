//! The result of a check run: findings and their summary.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::{Finding, Severity};

/// Counts for the summary line and the JSON `summary`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub files: usize,
}

/// Findings, sorted by file and line, with their summary.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub findings: Vec<Finding>,
    pub summary: Summary,
    /// Which fingerprint key made the fingerprints and ids (its id, see `FingerprintKey::id`): a baseline made with
    /// the same key is matched on ids, one made with another on locations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint_key: Option<String>,
}

impl Report {
    /// A report of `findings`.
    pub fn new(findings: Vec<Finding>) -> Self {
        let count = |s: Severity| findings.iter().filter(|f| f.severity == s).count();
        let files: BTreeSet<_> = findings.iter().filter_map(|f| f.file.as_ref()).collect();
        let summary = Summary {
            errors: count(Severity::Error),
            warnings: count(Severity::Warning),
            infos: count(Severity::Info),
            files: files.len(),
        };
        Report { findings, summary, fingerprint_key: None }
    }

    /// True when some finding is at or above `threshold` (`None`: never fail).
    pub fn fails(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| self.findings.iter().any(|f| f.severity >= t))
    }
}
