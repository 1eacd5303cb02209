//! `--resume` / `--rollback` of interrupted rotations (one, or a `rotate --all` batch), and the rollback of a
//! failed one: each first finds out which credential its store accepts instead of trusting the journal's last step.

use std::time::Instant;

use super::edits;
use super::engine::{Rotation, joint_order};
use super::{Engine, Outcome, Progress, Recreator, RotationError, RotationPlan, Step};
use crate::secret::Secret;
use crate::stores::{CredentialStore, Probe};

/// How a probe reads in a progress line: `accepted`, `rejected`, `unreachable (...)`.
fn accepted(probe: &Probe) -> String {
    match probe {
        Probe::Ok => "accepted".to_string(),
        Probe::Rejected => "rejected".to_string(),
        Probe::Unreachable(reason) => format!("unreachable ({reason})"),
    }
}

impl<R: Recreator, P: Progress> Engine<'_, R, P> {
    /// `--resume`: finds which credential logs in to each store, then completes the rotations (one recreate).
    pub async fn resume<S: CredentialStore>(
        &self,
        mut rotations: Vec<Rotation<S>>,
    ) -> Result<Vec<Outcome>, RotationError> {
        for rotation in &mut rotations {
            let Rotation { store, journal, .. } = rotation;
            let t = Instant::now();
            let (new, old) = (store.probe(&journal.new).await, store.probe(&journal.old).await);
            self.progress.step(
                "probe",
                t.elapsed(),
                &format!("new {} {}, current {} {}", journal.new, accepted(&new), journal.old, accepted(&old)),
            );
            match (&new, &old) {
                (Probe::Ok, _) => {}
                // The store never got the new value: redo the rotation from `set`.
                (Probe::Rejected, Probe::Ok) => journal.step = Step::Staged,
                (Probe::Unreachable(reason), _) | (_, Probe::Unreachable(reason)) => {
                    return Err(RotationError::Unreachable { store: store.describe(), reason: reason.clone() });
                }
                _ => return Err(no_working_credential(rotation)),
            }
            self.to_commit(rotation).await?;
        }
        self.complete(rotations, false).await
    }

    /// `--rollback`: finds which credential logs in to each store, then restores the old values everywhere.
    pub async fn rollback<S: CredentialStore>(
        &self,
        mut rotations: Vec<Rotation<S>>,
    ) -> Result<Vec<Outcome>, RotationError> {
        // The journals cannot tell whether a recreate had started: recreate the consumers back to be sure.
        self.undo(&mut rotations, true).await
    }

    /// Restores the old values in the stores and the files (in reverse), then, when a recreate may have touched
    /// them, the consumers in one recreate; writes each audit entry and removes each journal.
    pub(super) async fn undo<S: CredentialStore>(
        &self,
        rotations: &mut [Rotation<S>],
        consumers_touched: bool,
    ) -> Result<Vec<Outcome>, RotationError> {
        for rotation in rotations.iter_mut().rev() {
            self.undo_store_and_files(rotation).await?;
        }
        let back: Vec<&Rotation<S>> =
            rotations.iter().filter(|r| consumers_touched && r.journal.step >= Step::Committed).collect();
        let mut recreated = Vec::new();
        if !back.is_empty() {
            let t = Instant::now();
            let plans: Vec<&RotationPlan> = back.iter().map(|r| &r.journal.plan).collect();
            let expect: Vec<(String, Secret)> =
                back.iter().flat_map(|r| r.journal.plan.expectations(&r.journal.file_old)).collect();
            recreated =
                self.recreator.recreate(&joint_order(&plans), &[], &expect).await.map_err(RotationError::Recreate)?;
            self.progress.step("rollback recreate", t.elapsed(), &recreated.join(", "));
        }
        let mut outcomes = Vec::new();
        for rotation in rotations.iter() {
            // The audit entry names the services recreated back to the old value.
            let own = rotation.journal.plan.recreate_order();
            let services = recreated.iter().filter(|s| own.contains(s)).cloned().collect();
            let outcome = self.outcome(rotation, "rolled-back", services);
            self.audit(&rotation.journal, &outcome)?;
            let journal = &rotation.journal;
            journal.remove().map_err(|e| RotationError::Io(journal.path(), e))?;
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// The old value accepted by the store again, and the files' backups restored.
    async fn undo_store_and_files<S: CredentialStore>(&self, rotation: &mut Rotation<S>) -> Result<(), RotationError> {
        let t = Instant::now();
        let Rotation { store, journal, .. } = &mut *rotation;
        if journal.step >= Step::Committed && journal.plan.store_restart.is_some() {
            // A recreate that failed may already have replaced the store's container.
            store.relocate().await;
        }
        match (store.probe(&journal.new).await, store.probe(&journal.old).await) {
            (Probe::Rejected, Probe::Ok) => {}
            (Probe::Unreachable(reason), _) | (_, Probe::Unreachable(reason)) => {
                return Err(RotationError::Unreachable { store: store.describe(), reason });
            }
            (Probe::Ok, _) if !journal.new.is_empty() => store.rollback(&journal.old, &journal.new).await?,
            _ => return Err(no_working_credential(rotation)),
        }
        let journal = &rotation.journal;
        self.progress.step("rollback store", t.elapsed(), &format!("{} accepted again", journal.old));
        if journal.step >= Step::Committed || !journal.backups.is_empty() {
            let t = Instant::now();
            edits::restore(journal)?;
            self.progress.step("rollback files", t.elapsed(), "backups restored");
        }
        Ok(())
    }
}

fn no_working_credential<S: CredentialStore>(rotation: &Rotation<S>) -> RotationError {
    RotationError::NoWorkingCredential {
        key: rotation.journal.plan.key.clone(),
        store: rotation.store.describe(),
        journal: rotation.journal.path(),
    }
}
