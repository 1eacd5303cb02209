//! What `rotate --resume` or `--rollback` would do with a journal, worked out from the store's answers without
//! changing anything: `--dry-run` prints it, and the confirmation prompt shows it.

use std::path::PathBuf;

use super::{Journal, Step};
use crate::stores::Probe;

/// Finish the rotation, or undo it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    Resume,
    Rollback,
}

/// The recovery of one journal, decided but not run.
#[derive(Debug, Clone)]
pub struct RecoveryPlan {
    pub recovery: Recovery,
    pub key: String,
    pub journal: PathBuf,
    /// The last step the journal recorded.
    pub step: Step,
    pub started: String,
    pub operator: String,
    pub new_fingerprint: String,
    pub old_fingerprint: String,
    /// What the store answers to the new and to the current (old) value; `None`: no store outside the env files.
    pub accepts: Option<(Probe, Probe)>,
    /// The steps that would run, in order (`set`, `test`, ... or `rollback store`, ...). Empty when the recovery
    /// cannot run (see `blocked`).
    pub steps: Vec<&'static str>,
    /// Services that would be recreated, in order.
    pub recreate: Vec<String>,
    /// The env files that would be written (or restored from their backups).
    pub files: Vec<PathBuf>,
    /// Why the recovery would stop before doing anything (the store is unreachable or accepts neither value).
    pub blocked: Option<String>,
}

impl RecoveryPlan {
    /// The plan for `journal`, given the store's answers to its new and old values (`None`: env files only), by the
    /// rules [`Engine::resume`](super::Engine::resume) and [`Engine::rollback`](super::Engine::rollback) follow.
    pub fn of(journal: &Journal, recovery: Recovery, accepts: Option<(Probe, Probe)>) -> RecoveryPlan {
        let plan = &journal.plan;
        let (new, old) = accepts.clone().unwrap_or((Probe::Ok, Probe::Ok));
        let blocked = match (&new, &old) {
            (Probe::Unreachable(reason), _) | (_, Probe::Unreachable(reason)) => {
                Some(format!("the store is unreachable: {reason}"))
            }
            (Probe::Rejected, Probe::Rejected) => Some("the store accepts neither value".to_string()),
            _ => None,
        };
        let mut files: Vec<PathBuf> = Vec::new();
        for edit in &plan.edits {
            if !files.contains(&edit.file) {
                files.push(edit.file.clone());
            }
        }
        let (steps, recreate) = match recovery {
            Recovery::Resume => {
                // The store never got the new value: the rotation is redone from `set`.
                let from = if new == Probe::Rejected { Step::Staged } else { journal.step };
                let steps: Vec<&'static str> = [
                    (Step::Set, "set"),
                    (Step::Tested, "test"),
                    (Step::Committed, "commit"),
                    (Step::Recreated, "recreate"),
                    (Step::Finished, "finish"),
                ]
                .into_iter()
                .filter(|(step, _)| *step > from)
                .map(|(_, name)| name)
                .collect();
                let recreate = if from < Step::Recreated { plan.recreate_order() } else { Vec::new() };
                if from >= Step::Committed {
                    files.clear();
                }
                (steps, recreate)
            }
            Recovery::Rollback => {
                let mut steps = vec!["rollback store"];
                let restore_files = journal.step >= Step::Committed || !journal.backups.is_empty();
                if restore_files {
                    steps.push("rollback files");
                }
                // The journal cannot tell whether a recreate had started: the consumers are recreated back.
                let recreate = if journal.step >= Step::Committed { plan.recreate_order() } else { Vec::new() };
                if !recreate.is_empty() {
                    steps.push("rollback recreate");
                }
                if !restore_files {
                    files.clear();
                }
                (steps, recreate)
            }
        };
        let (steps, recreate) = if blocked.is_some() { (Vec::new(), Vec::new()) } else { (steps, recreate) };
        RecoveryPlan {
            recovery,
            key: plan.key.clone(),
            journal: journal.path(),
            step: journal.step,
            started: journal.started.clone(),
            operator: journal.operator.clone(),
            new_fingerprint: journal.new.fingerprint(),
            old_fingerprint: journal.old.fingerprint(),
            accepts,
            steps,
            recreate,
            files,
            blocked,
        }
    }
}
