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
        "{cause}; the rollback did not complete: {error}. Journal kept at {}: once that is fixed, run \
         `docker secops rotate --rollback` (or `--resume` to finish the rotation)",
        .journal.display()
    )]
    RollbackIncomplete { cause: String, error: Box<RotationError>, journal: PathBuf },
    #[error("no rotation journal in {}: nothing to resume or roll back", .0.display())]
    NoJournal(PathBuf),
    #[error("a rotation of {key} was interrupted (journal {}): run `docker secops rotate --resume` or `--rollback` first", .journal.display())]
    Interrupted { key: String, journal: PathBuf },
}
