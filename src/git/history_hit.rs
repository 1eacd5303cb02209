//! One finding of the history scan: where a needle was first seen in the repository's history.

use std::path::PathBuf;

/// A needle found in one blob of the history, reported once per (needle, blob).
///
/// It names the first commit that holds the blob in a parents-before-children order of the whole history, that is
/// a commit that introduced the blob, and the path the blob had there. It never holds the needle itself: callers
/// map `needle` back to their own secret (by index) so that no value leaks into a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryHit {
    /// Index of the needle in the slice given to [`GitRepo::scan_history`](super::GitRepo::scan_history).
    pub needle: usize,
    /// Full hex id of the commit.
    pub commit: String,
    /// Path of the blob in that commit, relative to the repository root.
    pub path: PathBuf,
    /// Committer time of the commit, in seconds since the Unix epoch.
    pub commit_time: i64,
}
