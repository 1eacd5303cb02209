//! The write-ahead record of a rotation: written (0600, fsync) before the store changes, so that a crash at any
//! point leaves the new value where `--resume` finds it. Removed when the rotation ends either way.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::{RotationPlan, Step};
use crate::envfile::write_atomic;
use crate::secret::Secret;
use crate::state_dir::StateDir;

/// The journal's file name inside the state directory.
pub const JOURNAL_FILE: &str = "rotation.journal.json";

/// A rotation in progress. It holds the old and the new value: that is its purpose, and why it is 0600.
#[derive(Clone, Serialize, Deserialize)]
pub struct Journal {
    pub version: u32,
    pub id: String,
    pub plan: RotationPlan,
    #[serde(with = "secret_value")]
    pub old: Secret,
    #[serde(with = "secret_value")]
    pub new: Secret,
    /// The value the env files held when planned; differs from `old` only when the files had drifted from the
    /// store and the working value came from `--current-from-stdin`.
    #[serde(with = "secret_value")]
    pub file_old: Secret,
    /// The last step completed.
    pub step: Step,
    pub started: String,
    pub pid: u32,
    pub host: String,
    pub operator: String,
    /// Backups of the edited files, in the order of `plan.edits`' files.
    pub backups: Vec<PathBuf>,
    /// The rotation's place in a `rotate --all` batch, whose journals live side by side until the batch's one
    /// recreate and their revocations are done; `None` for a rotation of its own (the usual journal file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_slot: Option<usize>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("id", &self.id).field("key", &self.plan.key).field("step", &self.step).finish()
    }
}

/// Why a journal could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot write the rotation journal {}: {source}", .path.display())]
    Write { path: PathBuf, source: crate::envfile::EnvError },
    #[error("cannot create the state directory {}: {source}", .path.display())]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("cannot read the rotation journal {}: {source}", .path.display())]
    Read { path: PathBuf, source: std::io::Error },
    #[error("the rotation journal {} is damaged: {source}", .path.display())]
    Parse { path: PathBuf, source: serde_json::Error },
}

impl Journal {
    /// A journal of `planned` at step `tested`, rotating to `new`, no backups yet: what the commit and rollback
    /// tests start from.
    #[cfg(test)]
    pub fn tested_for_test(planned: super::Planned, new: Secret) -> Journal {
        Journal {
            version: 1,
            id: "test".into(),
            plan: planned.plan,
            old: planned.file_old.clone(),
            new,
            file_old: planned.file_old,
            step: Step::Tested,
            started: "2026-01-01T00:00:00Z".into(),
            pid: std::process::id(),
            host: "test".into(),
            operator: "test".into(),
            backups: Vec::new(),
            batch_slot: None,
        }
    }

    /// The journal path in `state_dir`.
    pub fn path_in(state_dir: &Path) -> PathBuf {
        StateDir::at(state_dir).journal()
    }

    /// Where this journal is kept: the usual file, or its batch slot's beside it.
    pub fn path(&self) -> PathBuf {
        match self.batch_slot {
            None => Self::path_in(&self.plan.state_dir),
            Some(slot) => Self::slot_path(&self.plan.state_dir, slot),
        }
    }

    /// The journal file of batch slot `slot` in `state_dir`.
    fn slot_path(state_dir: &Path, slot: usize) -> PathBuf {
        Self::path_in(state_dir).with_extension(format!("{slot}.json"))
    }

    /// Writes the journal atomically (0600, fsync) in its plan's state directory.
    pub fn save(&self) -> Result<(), JournalError> {
        let path = self.path();
        // The journal holds both values: its directory must be git-ignored before it exists.
        self.plan.state().create().map_err(|source| JournalError::Dir { path: self.plan.state_dir.clone(), source })?;
        let bytes =
            serde_json::to_vec_pretty(self).map_err(|e| JournalError::Parse { path: path.clone(), source: e })?;
        write_atomic(&path, &bytes).map_err(|source| JournalError::Write { path, source })
    }

    /// Records that `step` completed.
    pub fn advance(&mut self, step: Step) -> Result<(), JournalError> {
        self.step = step;
        self.save()
    }

    /// The journal left in `state_dir`, if any (the first of a batch's).
    pub fn load(state_dir: &Path) -> Result<Option<Journal>, JournalError> {
        Ok(Self::load_all(state_dir)?.into_iter().next())
    }

    /// Every journal left in `state_dir`: the usual one, or the ones of an interrupted `rotate --all` in batch
    /// order.
    pub fn load_all(state_dir: &Path) -> Result<Vec<Journal>, JournalError> {
        let mut journals: Vec<Journal> = Self::load_file(Self::path_in(state_dir))?.into_iter().collect();
        let mut slots: Vec<usize> = match std::fs::read_dir(state_dir) {
            Ok(entries) => entries
                .filter_map(|e| e.ok()?.file_name().into_string().ok())
                .filter_map(|name| name.strip_prefix("rotation.journal.")?.strip_suffix(".json")?.parse().ok())
                .collect(),
            Err(_) => Vec::new(),
        };
        slots.sort_unstable();
        for slot in slots {
            journals.extend(Self::load_file(Self::slot_path(state_dir, slot))?);
        }
        Ok(journals)
    }

    fn load_file(path: PathBuf) -> Result<Option<Journal>, JournalError> {
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(JournalError::Read { path, source }),
        };
        serde_json::from_str(&text).map(Some).map_err(|source| JournalError::Parse { path, source })
    }

    /// Removes the journal: the rotation ended and no value is needed any more.
    pub fn remove(&self) -> std::io::Result<()> {
        match std::fs::remove_file(self.path()) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => Err(err),
            _ => Ok(()),
        }
    }
}

/// Serialises a `Secret` as its value: used only by the journal, never by output.
mod secret_value {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::secret::Secret;

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(secret.expose())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        String::deserialize(d).map(Secret::new)
    }
}
