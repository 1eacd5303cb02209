//! Why a rotation stopped. Messages name files, keys and services; never values.

use std::path::PathBuf;

use super::{JournalError, LockError};
use crate::envfile::EnvError;
use crate::stores::StoreError;

/// A failed rotation step.
#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    #[error(transparent)]
    Lock(#[from] LockError),
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error(transparent)]
    EnvFile(EnvError),
    #[error("{}: {}", .0.display(), .1)]
    Io(PathBuf, std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{} changed since the rotation was planned (someone else edited it): nothing was written; run again", .0.display())]
    ChangedSincePlan(PathBuf),
    #[error(
        "the current value of {key} in {} does not log in to {store}: the env file and the store have drifted. \
         Pass the working value with --current-from-stdin",
        .file.display()
    )]
    CurrentRejected { key: String, file: PathBuf, store: String },
    #[error("{store} is unreachable: {reason}")]
    Unreachable { store: String, reason: String },
    #[error("the new value of {key} was set but its test against {store} failed: {reason}")]
    NewRejected { key: String, store: String, reason: String },
    #[error("the old value of {key} stopped working during the dual-password window of {store}")]
    OldLost { key: String, store: String },
    #[error(
        "every consumer runs the new value of {key}, but {store} cannot be reached to revoke the old one ({reason}). \
         Journal kept at {}: run `docker secops rotate --resume` once it answers",
        .journal.display()
    )]
    RevokePending { key: String, store: String, reason: String, journal: PathBuf },
    #[error("recreating the consumers failed: {0}")]
    Recreate(String),
    #[error("neither the new, the current nor the previous value of {key} logs in to {store}: journal kept at {}", .journal.display())]
    NoWorkingCredential { key: String, store: String, journal: PathBuf },
    #[error("{signal} received: stopped before the next step")]
    Stopped { signal: &'static str },
    #[error(
        "{cause}\nthe rollback did not complete: {}\njournal kept at {}: once that is fixed, run \
         `docker secops rotate --rollback` (or `--resume` to finish the rotation)",
        rollback_reason(.cause, .error), .journal.display()
    )]
    RollbackIncomplete { cause: String, error: Box<RotationError>, journal: PathBuf },
    /// A rotation that failed and was undone: what stays first, why it failed as the cause (printed once, after the
    /// rollback's progress lines, each of its lines on its own).
    #[error("the rotation failed and was rolled back: {kept}")]
    RolledBack {
        /// `KEY keeps FINGERPRINT` of each rotation rolled back.
        kept: String,
        #[source]
        cause: Box<RotationError>,
    },
    #[error("no rotation journal in {}: nothing to resume or roll back", .0.display())]
    NoJournal(PathBuf),
    #[error("a rotation of {key} was interrupted (journal {}): run `docker secops rotate --resume` or `--rollback` first", .journal.display())]
    Interrupted { key: String, journal: PathBuf },
}

/// Why the rollback failed, unless it is why the rotation failed, which the line before says already.
fn rollback_reason(cause: &str, error: &RotationError) -> String {
    let error = error.to_string();
    if error == cause { "the same error".to_string() } else { error }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recreate_failed() -> RotationError {
        RotationError::Recreate("service app: cannot reach the engine".to_string())
    }

    #[test]
    fn a_rolled_back_rotation_says_what_stays_then_why_each_once() {
        let err = RotationError::RolledBack {
            kept: "REDIS_PASSWORD keeps 29bd3a4a".into(),
            cause: Box::new(recreate_failed()),
        };
        let causes = crate::error_chain::causes(&err);
        assert_eq!(
            causes,
            [
                "the rotation failed and was rolled back: REDIS_PASSWORD keeps 29bd3a4a",
                "recreating the consumers failed: service app: cannot reach the engine"
            ]
        );
    }

    #[test]
    fn an_incomplete_rollback_says_each_cause_once_one_a_line() {
        let cause = recreate_failed().to_string();
        let err = RotationError::RollbackIncomplete {
            cause: cause.clone(),
            error: Box::new(recreate_failed()),
            journal: PathBuf::from("/p/.secops/rotation.journal.json"),
        };
        let text = err.to_string();
        assert_eq!(text.matches("cannot reach the engine").count(), 1, "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], cause);
        assert_eq!(lines[1], "the rollback did not complete: the same error");
        assert!(lines[2].starts_with("journal kept at /p/.secops/rotation.journal.json"), "{text}");
    }
}
