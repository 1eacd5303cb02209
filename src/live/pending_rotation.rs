//! A rotation journal left in the project's state directory: a rotation is running, or crashed mid-way.

use std::path::{Path, PathBuf};

use crate::rotation::{Journal, RotationLock};
use crate::state_dir::StateDir;

/// What `status` tells about a left-over rotation journal (never its values).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PendingRotation {
    /// The journal file.
    pub journal: PathBuf,
    /// The key being rotated (`None` when the journal cannot be read).
    pub key: Option<String>,
    /// The last step completed (`staged`, `set`, `tested`, `committed`, `recreated`).
    pub step: Option<String>,
    /// When the rotation started, RFC 3339.
    pub started: Option<String>,
    pub operator: Option<String>,
    /// Why the journal could not be read, if it could not.
    pub error: Option<String>,
    /// The pid of the rotation holding the lock when it is alive: the rotation is running, not interrupted.
    pub running_pid: Option<u32>,
}

impl PendingRotation {
    /// The journal in `<project dir>/.secops/`, if one is there.
    pub fn find(project_dir: &Path) -> Option<PendingRotation> {
        let state = StateDir::of_project(project_dir);
        let journal = state.journal();
        let running_pid = RotationLock::live_holder(&state.lock()).map(|h| h.pid);
        match Journal::load(state.path()) {
            Ok(None) => None,
            Ok(Some(j)) => Some(PendingRotation {
                journal,
                key: Some(j.plan.key.clone()),
                step: Some(j.step.as_str().to_string()),
                started: Some(j.started.clone()),
                operator: Some(j.operator.clone()),
                error: None,
                running_pid,
            }),
            Err(err) => Some(PendingRotation {
                journal,
                key: None,
                step: None,
                started: None,
                operator: None,
                error: Some(err.to_string()),
                running_pid,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_state_dir_means_nothing_pending_and_a_damaged_journal_is_reported() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(PendingRotation::find(dir.path()), None);
        let state = StateDir::of_project(dir.path()).path().to_path_buf();
        std::fs::create_dir_all(&state).expect("mkdir");
        std::fs::write(Journal::path_in(&state), "{not json").expect("write");
        let pending = PendingRotation::find(dir.path()).expect("pending");
        assert_eq!(pending.key, None);
        assert!(pending.error.as_deref().is_some_and(|e| e.contains("damaged")), "{pending:?}");
    }
}
