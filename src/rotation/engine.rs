//! The rotation protocol itself (DESIGN §4): stage -> set -> test -> commit -> recreate -> finish, a rollback in
//! reverse on failure, and `--resume` / `--rollback` of an interrupted rotation, which first find out which
//! credential the store accepts instead of trusting the journal's last step.

use std::time::{Duration, Instant};

use super::edits;
use super::step::fault_point;
use super::{Journal, Progress, Recreator, RotationError, RotationPlan, Step};
use crate::audit::{AuditEntry, AuditLog, archive_revoked};
use crate::envfile::{Tightened, make_private, restore_mode};
use crate::interrupt::Interrupt;
use crate::secret::Secret;
use crate::stores::{CredentialStore, Probe};

/// How a rotation ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub key: String,
    pub store: String,
    pub old_fingerprint: String,
    pub new_fingerprint: String,
    pub services: Vec<String>,
    pub duration: Duration,
    /// `ok` or `rolled-back`.
    pub result: &'static str,
    /// The state directory holding the backups and the audit entry.
    pub state_dir: std::path::PathBuf,
}

/// How a probe reads in a progress line: `accepted`, `rejected`, `unreachable (...)`.
fn accepted(probe: &Probe) -> String {
    match probe {
        Probe::Ok => "accepted".to_string(),
        Probe::Rejected => "rejected".to_string(),
        Probe::Unreachable(reason) => format!("unreachable ({reason})"),
    }
}

/// The three values a rotation handles.
pub struct Credentials {
    /// What the store accepts now.
    pub old: Secret,
    /// What the env files hold now (differs from `old` only after drift).
    pub file_old: Secret,
    /// The new value.
    pub new: Secret,
}

/// Drives one rotation with a store, a recreator and a progress sink.
pub struct Engine<'a, S, R, P> {
    pub store: &'a S,
    pub recreator: &'a R,
    pub progress: &'a P,
    /// Keep the state of a failed rotation for inspection instead of rolling back.
    pub no_rollback: bool,
    /// A SIGINT/SIGTERM stop request, honoured at the next step boundary before the consumers are recreated.
    pub interrupt: &'a Interrupt,
}

impl<S: CredentialStore, R: Recreator, P: Progress> Engine<'_, S, R, P> {
    /// Stages a new rotation of `plan` with `credentials`: writes the journal, then backs up the files.
    pub fn stage(
        &self,
        plan: RotationPlan,
        credentials: Credentials,
        operator: &str,
    ) -> Result<Journal, RotationError> {
        let started = Instant::now();
        let Credentials { old, file_old, new } = credentials;
        let mut journal = Journal {
            version: 1,
            id: format!("{}-{}", time::OffsetDateTime::now_utc().unix_timestamp(), std::process::id()),
            plan,
            old,
            new,
            file_old,
            step: Step::Staged,
            started: super::lock::now_rfc3339(),
            pid: std::process::id(),
            host: super::lock::hostname(),
            operator: operator.to_string(),
            backups: Vec::new(),
        };
        // The journal first: from here on a crash leaves the new value where --resume finds it.
        journal.save()?;
        journal.backups = edits::backup_all(&journal)?;
        journal.save()?;
        self.progress.step(
            "stage",
            started.elapsed(),
            &format!("new value {} (journal written, files backed up)", journal.new),
        );
        fault_point(Step::Staged);
        Ok(journal)
    }

    /// Runs a staged rotation to the end; on failure rolls back (unless `no_rollback`) and returns the error.
    pub async fn run(&self, mut journal: Journal) -> Result<Outcome, RotationError> {
        let started = Instant::now();
        if let Err(err) = self.forward(&mut journal).await {
            if journal.step >= Step::Recreated {
                // Every consumer runs with the new value: undoing that is no remedy for a revocation left to do.
                return Err(err);
            }
            if self.no_rollback {
                self.progress.warn(&format!(
                    "--no-rollback: state kept, journal at {}",
                    Journal::path_in(&journal.plan.state_dir).display()
                ));
                return Err(err);
            }
            // Stopped by a signal at a step boundary: its notice has said so already, and no consumer was touched
            // (the boundary comes before `recreate`), so none needs recreating back.
            let stopped = matches!(err, RotationError::Stopped { .. });
            if !stopped {
                // Why comes once, in the error at the end: the progress lines above show the failing step already.
                self.progress.warn("the rotation failed: rolling back (the error follows once the rollback is done)");
            }
            if let Err(undo) = self.undo(&mut journal, started, !stopped).await {
                return Err(RotationError::RollbackIncomplete {
                    cause: err.to_string(),
                    error: Box::new(undo),
                    journal: Journal::path_in(&journal.plan.state_dir),
                });
            }
            if stopped {
                return Err(err);
            }
            let (key, kept) = (journal.plan.key.clone(), journal.old.fingerprint());
            return Err(RotationError::RolledBack { key, kept, cause: Box::new(err) });
        }
        self.finish(&journal, started, "ok", journal.plan.recreate_order())
    }

    /// `--resume`: finds which credential logs in, then completes the rotation.
    pub async fn resume(&self, mut journal: Journal) -> Result<Outcome, RotationError> {
        let started = Instant::now();
        let (new, old) = (self.store.probe(&journal.new).await, self.store.probe(&journal.old).await);
        self.progress.step(
            "probe",
            started.elapsed(),
            &format!("new {} {}, current {} {}", journal.new, accepted(&new), journal.old, accepted(&old)),
        );
        match (&new, &old) {
            (Probe::Ok, _) => {}
            // The store never got the new value: redo the rotation from `set`.
            (Probe::Rejected, Probe::Ok) => journal.step = Step::Staged,
            (Probe::Unreachable(reason), _) | (_, Probe::Unreachable(reason)) => {
                return Err(RotationError::Unreachable { store: self.store.describe(), reason: reason.clone() });
            }
            _ => return Err(self.no_working_credential(&journal)),
        }
        self.forward(&mut journal).await?;
        self.finish(&journal, started, "ok", journal.plan.recreate_order())
    }

    /// `--rollback`: finds which credential logs in, then restores the old value everywhere.
    pub async fn rollback(&self, mut journal: Journal) -> Result<Outcome, RotationError> {
        let started = Instant::now();
        // The journal cannot tell whether a recreate had started: recreate the consumers back to be sure.
        let recreated = self.undo(&mut journal, started, true).await?;
        Ok(self.outcome(&journal, started, "rolled-back", recreated))
    }

    async fn forward(&self, journal: &mut Journal) -> Result<(), RotationError> {
        let store = self.store.describe();
        let key = journal.plan.key.clone();
        if journal.step < Step::Set {
            self.checkpoint()?;
            let t = Instant::now();
            if self.store.probe(&journal.new).await != Probe::Ok {
                self.store.set(&journal.old, &journal.new).await?;
            }
            journal.advance(Step::Set)?;
            let window = if self.store.dual_window() { " beside the current one (dual window)" } else { "" };
            let detail = if self.store.external() {
                format!("{store} accepts {}{window}", journal.new)
            } else {
                "nothing to change outside the env files".to_string()
            };
            self.progress.step("set", t.elapsed(), &detail);
            fault_point(Step::Set);
        }
        if journal.step < Step::Tested {
            self.checkpoint()?;
            let t = Instant::now();
            self.store.test(&journal.new).await.map_err(|e| RotationError::NewRejected {
                key: key.clone(),
                store: store.clone(),
                reason: e.reason,
            })?;
            if self.store.dual_window() && self.store.probe(&journal.old).await != Probe::Ok {
                return Err(RotationError::OldLost { key, store });
            }
            journal.advance(Step::Tested)?;
            let detail = if self.store.external() { "fresh login with the new value read and wrote" } else { "-" };
            self.progress.step("test", t.elapsed(), detail);
            fault_point(Step::Tested);
        }
        if journal.step < Step::Committed {
            self.checkpoint()?;
            let t = Instant::now();
            // A new secret never lands in a file others can read (the offline form's file is often 0644). A commit
            // that fails puts the modes back with the bytes: a failed rotation leaves the disk as it found it.
            let mut tightened = Vec::new();
            for file in edits::files_of(journal) {
                match make_private(&file) {
                    Ok(Some(Tightened { before, after })) => {
                        self.progress.warn(&format!(
                            "{} was readable by others ({before:04o}): now {after:04o}",
                            file.display()
                        ));
                        tightened.push((file, before));
                    }
                    Ok(None) => {}
                    Err(err) => self.progress.warn(&format!("cannot make {} private: {err}", file.display())),
                }
            }
            if let Err(err) = edits::commit(journal) {
                for (file, mode) in tightened {
                    let _ = restore_mode(&file, mode);
                }
                return Err(err);
            }
            journal.advance(Step::Committed)?;
            let files = edits::files_of(journal).iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", ");
            self.progress.step("commit", t.elapsed(), &format!("wrote {files}"));
            fault_point(Step::Committed);
        }
        if journal.step < Step::Recreated {
            self.checkpoint()?;
            let t = Instant::now();
            let order = journal.plan.recreate_order();
            let expect = vec![(key.clone(), journal.new.clone())];
            self.progress.starting("recreate");
            let done = self.recreator.recreate(&order, &expect).await.map_err(RotationError::Recreate)?;
            if journal.plan.store_restart.is_some() {
                // The store's own container is new: its IP and published port may have changed.
                self.store.relocate().await;
            }
            journal.advance(Step::Recreated)?;
            let detail = if done.is_empty() { "no service recreated".to_string() } else { done.join(", ") };
            self.progress.step("recreate", t.elapsed(), &detail);
            fault_point(Step::Recreated);
        }
        if let Some(signal) = self.interrupt.requested() {
            // Every consumer already runs with the new value: finishing is the quickest way to a consistent state.
            self.progress.warn(&format!("{signal} received after the consumers were recreated: finishing"));
        }
        let t = Instant::now();
        if self.store.dual_window() {
            match self.store.probe(&journal.old).await {
                Probe::Ok => self.store.finish(&journal.old, &journal.new).await?,
                Probe::Rejected => {}
                // Everything runs with the new value; only the revocation is left, for --resume.
                Probe::Unreachable(reason) => {
                    return Err(RotationError::RevokePending {
                        key,
                        store,
                        reason,
                        journal: Journal::path_in(&journal.plan.state_dir),
                    });
                }
            }
        }
        self.progress.step("finish", t.elapsed(), &format!("{} revoked", journal.old));
        Ok(())
    }

    /// Stops before the next step when a signal asked to.
    pub fn checkpoint(&self) -> Result<(), RotationError> {
        match self.interrupt.requested() {
            Some(signal) => Err(RotationError::Stopped { signal }),
            None => Ok(()),
        }
    }

    /// Restores the old value in the store, the files and (when a recreate may have touched them) the consumers, in
    /// reverse order.
    async fn undo(
        &self,
        journal: &mut Journal,
        started: Instant,
        consumers_touched: bool,
    ) -> Result<Vec<String>, RotationError> {
        let t = Instant::now();
        if journal.step >= Step::Committed && journal.plan.store_restart.is_some() {
            // A recreate that failed may already have replaced the store's container.
            self.store.relocate().await;
        }
        match (self.store.probe(&journal.new).await, self.store.probe(&journal.old).await) {
            (Probe::Rejected, Probe::Ok) => {}
            (Probe::Unreachable(reason), _) | (_, Probe::Unreachable(reason)) => {
                return Err(RotationError::Unreachable { store: self.store.describe(), reason });
            }
            (Probe::Ok, _) if !journal.new.is_empty() => self.store.rollback(&journal.old, &journal.new).await?,
            _ => return Err(self.no_working_credential(journal)),
        }
        self.progress.step("rollback store", t.elapsed(), &format!("{} accepted again", journal.old));
        if journal.step >= Step::Committed || !journal.backups.is_empty() {
            let t = Instant::now();
            edits::restore(journal)?;
            self.progress.step("rollback files", t.elapsed(), "backups restored");
        }
        let mut recreated = Vec::new();
        if journal.step >= Step::Committed && consumers_touched {
            let t = Instant::now();
            let expect = vec![(journal.plan.key.clone(), journal.file_old.clone())];
            let done = self
                .recreator
                .recreate(&journal.plan.recreate_order(), &expect)
                .await
                .map_err(RotationError::Recreate)?;
            self.progress.step("rollback recreate", t.elapsed(), &done.join(", "));
            recreated = done;
        }
        // The audit entry names the services recreated back to the old value.
        let outcome = self.outcome(journal, started, "rolled-back", recreated.clone());
        self.audit(journal, &outcome)?;
        journal.remove().map_err(|e| RotationError::Io(Journal::path_in(&journal.plan.state_dir), e))?;
        Ok(recreated)
    }

    fn finish(
        &self,
        journal: &Journal,
        started: Instant,
        result: &'static str,
        services: Vec<String>,
    ) -> Result<Outcome, RotationError> {
        let outcome = self.outcome(journal, started, result, services);
        if let Some(recipient) = &journal.plan.archive_recipient {
            // The rotation itself succeeded: a failed archive is reported, not undone.
            match archive_revoked(&journal.plan.state(), &journal.plan.key, &journal.old, recipient) {
                Ok(path) => {
                    let detail = format!("{} encrypted to {}", journal.old, path.display());
                    self.progress.step("archive", Duration::ZERO, &detail);
                }
                Err(err) => self.progress.warn(&format!("the revoked value was not archived: {err}")),
            }
        }
        self.audit(journal, &outcome)?;
        journal.remove().map_err(|e| RotationError::Io(Journal::path_in(&journal.plan.state_dir), e))?;
        fault_point(Step::Finished);
        Ok(outcome)
    }

    fn audit(&self, journal: &Journal, outcome: &Outcome) -> Result<(), RotationError> {
        let entry = AuditEntry {
            time: super::lock::now_rfc3339(),
            operator: journal.operator.clone(),
            host: journal.host.clone(),
            file: journal.plan.primary_file.display().to_string(),
            key: journal.plan.key.clone(),
            store: journal.plan.store.name().to_string(),
            old_fingerprint: Some(journal.old.fingerprint()),
            new_fingerprint: journal.new.fingerprint(),
            services: outcome.services.clone(),
            duration_ms: outcome.duration.as_millis() as u64,
            result: outcome.result.to_string(),
        };
        let state = journal.plan.state();
        AuditLog::append(&state, &entry).map_err(|e| RotationError::Io(state.audit_log(), e))?;
        Ok(())
    }

    fn outcome(&self, journal: &Journal, started: Instant, result: &'static str, services: Vec<String>) -> Outcome {
        Outcome {
            key: journal.plan.key.clone(),
            store: journal.plan.store.name().to_string(),
            old_fingerprint: journal.old.fingerprint(),
            new_fingerprint: journal.new.fingerprint(),
            services,
            duration: started.elapsed(),
            result,
            state_dir: journal.plan.state_dir.clone(),
        }
    }

    fn no_working_credential(&self, journal: &Journal) -> RotationError {
        RotationError::NoWorkingCredential {
            key: journal.plan.key.clone(),
            store: self.store.describe(),
            journal: Journal::path_in(&journal.plan.state_dir),
        }
    }
}
