//! The rotation protocol itself (DESIGN §4): stage -> set -> test -> commit -> recreate -> finish, a rollback in
//! reverse on failure. Several rotations (`rotate --all`) are prepared one by one up to `commit`, then share one
//! recreate of their consumers, so a service that takes two rotated secrets restarts once, not twice.

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

/// The three values a rotation handles.
pub struct Credentials {
    /// What the store accepts now.
    pub old: Secret,
    /// What the env files hold now (differs from `old` only after drift).
    pub file_old: Secret,
    /// The new value.
    pub new: Secret,
}

/// One rotation in flight: its opened store and its journal.
pub struct Rotation<S> {
    pub store: S,
    pub journal: Journal,
    /// When this rotation started, for its outcome's duration.
    pub started: Instant,
}

impl<S> Rotation<S> {
    /// A rotation of `journal` through `store`, starting now.
    pub fn new(store: S, journal: Journal) -> Self {
        Rotation { store, journal, started: Instant::now() }
    }
}

/// Drives rotations with a recreator and a progress sink.
pub struct Engine<'a, R, P> {
    pub recreator: &'a R,
    pub progress: &'a P,
    /// Keep the state of a failed rotation for inspection instead of rolling back.
    pub no_rollback: bool,
    /// A SIGINT/SIGTERM stop request, honoured at the next step boundary before the consumers are recreated.
    pub interrupt: &'a Interrupt,
}

impl<R: Recreator, P: Progress> Engine<'_, R, P> {
    /// Stages a new rotation of `plan` with `credentials`: writes the journal (in `batch_slot` for a member of a
    /// `rotate --all` batch), then backs up the files.
    pub fn stage(
        &self,
        plan: RotationPlan,
        credentials: Credentials,
        operator: &str,
        batch_slot: Option<usize>,
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
            batch_slot,
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

    /// Runs one staged rotation to the end; on failure rolls back (unless `no_rollback`) and returns the error.
    pub async fn run<S: CredentialStore>(&self, mut rotation: Rotation<S>) -> Result<Outcome, RotationError> {
        self.prepare(&mut rotation).await?;
        let mut outcomes = self.complete(vec![rotation], true).await?;
        Ok(outcomes.remove(0))
    }

    /// Takes a staged rotation through `set`, `test` and `commit`; on failure rolls it back (unless
    /// `no_rollback`): its consumers were not touched yet.
    pub async fn prepare<S: CredentialStore>(&self, rotation: &mut Rotation<S>) -> Result<(), RotationError> {
        let Err(err) = self.to_commit(rotation).await else { return Ok(()) };
        self.give_up(std::slice::from_mut(rotation), err, false).await
    }

    /// Recreates the consumers of every prepared rotation at once (each service once, expecting every new value
    /// it takes), then revokes each old value. A failed recreate rolls every rotation back when `roll_back` (and
    /// not `no_rollback`); `--resume` keeps the journals instead.
    pub async fn complete<S: CredentialStore>(
        &self,
        mut rotations: Vec<Rotation<S>>,
        roll_back: bool,
    ) -> Result<Vec<Outcome>, RotationError> {
        if let Err(err) = self.recreate_all(&mut rotations).await {
            return match roll_back {
                true => self.give_up(&mut rotations, err, true).await.map(|()| Vec::new()),
                false => Err(err),
            };
        }
        if let Some(signal) = self.interrupt.requested() {
            // Every consumer already runs with the new value: finishing is the quickest way to a consistent state.
            self.progress.warn(&format!("{signal} received after the consumers were recreated: finishing"));
        }
        // Each revocation is its own: one store unreachable leaves its journal for --resume, not the others'.
        let mut outcomes = Vec::new();
        let mut first_error = None;
        for rotation in &rotations {
            match self.revoke(rotation).await.and_then(|()| self.finish(rotation)) {
                Ok(outcome) => outcomes.push(outcome),
                Err(err) => first_error = first_error.or(Some(err)),
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(outcomes),
        }
    }

    /// A failure before every consumer ran the new values: roll `rotations` back (in reverse) unless told to keep
    /// the state, and return `err`. `consumers_touched`: a recreate ran, so the consumers go back to old values.
    async fn give_up<S: CredentialStore>(
        &self,
        rotations: &mut [Rotation<S>],
        err: RotationError,
        consumers_touched: bool,
    ) -> Result<(), RotationError> {
        if self.no_rollback {
            let journals = rotations.iter().map(|r| r.journal.path().display().to_string()).collect::<Vec<_>>();
            self.progress.warn(&format!("--no-rollback: state kept, journal at {}", journals.join(", ")));
            return Err(err);
        }
        // Stopped by a signal at a step boundary: its notice has said so already, and no consumer was touched
        // (the boundary comes before `recreate`), so none needs recreating back.
        let stopped = matches!(err, RotationError::Stopped { .. });
        if !stopped {
            // Why comes once, in the error at the end: the progress lines above show the failing step already.
            self.progress.warn("the rotation failed: rolling back (the error follows once the rollback is done)");
        }
        if let Err(undo) = self.undo(rotations, consumers_touched && !stopped).await {
            let journal = rotations.first().map(|r| r.journal.path()).unwrap_or_default();
            return Err(RotationError::RollbackIncomplete { cause: err.to_string(), error: Box::new(undo), journal });
        }
        if stopped {
            return Err(err);
        }
        let kept: Vec<String> =
            rotations.iter().map(|r| format!("{} keeps {}", r.journal.plan.key, r.journal.old.fingerprint())).collect();
        Err(RotationError::RolledBack { kept: kept.join(", "), cause: Box::new(err) })
    }

    /// `set`, `test` and `commit`, from the step the journal reached.
    pub(super) async fn to_commit<S: CredentialStore>(&self, rotation: &mut Rotation<S>) -> Result<(), RotationError> {
        let Rotation { store, journal, .. } = rotation;
        let name = store.describe();
        let key = journal.plan.key.clone();
        if journal.step < Step::Set {
            self.checkpoint()?;
            let t = Instant::now();
            if store.probe(&journal.new).await != Probe::Ok {
                store.set(&journal.old, &journal.new).await?;
            }
            journal.advance(Step::Set)?;
            let window = if store.dual_window() { " beside the current one (dual window)" } else { "" };
            let detail = if store.external() {
                format!("{name} accepts {}{window}", journal.new)
            } else {
                "nothing to change outside the env files".to_string()
            };
            self.progress.step("set", t.elapsed(), &detail);
            fault_point(Step::Set);
        }
        if journal.step < Step::Tested {
            self.checkpoint()?;
            let t = Instant::now();
            store.test(&journal.new).await.map_err(|e| RotationError::NewRejected {
                key: key.clone(),
                store: name.clone(),
                reason: e.reason,
            })?;
            if store.dual_window() && store.probe(&journal.old).await != Probe::Ok {
                return Err(RotationError::OldLost { key, store: name });
            }
            journal.advance(Step::Tested)?;
            let detail = if store.external() { "fresh login with the new value read and wrote" } else { "-" };
            self.progress.step("test", t.elapsed(), detail);
            fault_point(Step::Tested);
        }
        if journal.step < Step::Committed {
            self.checkpoint()?;
            let t = Instant::now();
            // A new secret never lands in a file others can read (the offline form's file is often 0644). A commit
            // that fails puts the modes back with the bytes: a failed rotation leaves the disk as it found it.
            // A secret file keeps its mode: the containers it is bind-mounted into read it as its mode allows
            // (`check` warns about a readable one, with the advice that fits a bind mount).
            let mut tightened = Vec::new();
            for file in edits::files_of(journal).into_iter().filter(|f| !edits::is_secret_file(journal, f)) {
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
        Ok(())
    }

    /// The one recreate of every rotation not recreated yet: each service once, in the rotations' order with the
    /// stores' own containers last, checked for every new value it takes.
    async fn recreate_all<S: CredentialStore>(&self, rotations: &mut [Rotation<S>]) -> Result<(), RotationError> {
        let pending: Vec<usize> =
            (0..rotations.len()).filter(|&i| rotations[i].journal.step < Step::Recreated).collect();
        if pending.is_empty() {
            return Ok(());
        }
        self.checkpoint()?;
        let t = Instant::now();
        let plans: Vec<&RotationPlan> = pending.iter().map(|&i| &rotations[i].journal.plan).collect();
        let order = joint_order(&plans);
        let expect: Vec<(String, Secret)> =
            pending.iter().flat_map(|&i| rotations[i].journal.plan.expectations(&rotations[i].journal.new)).collect();
        let stores: Vec<String> = plans.iter().filter_map(|p| p.store_restart.clone()).collect();
        self.progress.starting("recreate");
        let done = self.recreator.recreate(&order, &stores, &expect).await.map_err(RotationError::Recreate)?;
        for &i in &pending {
            let rotation = &mut rotations[i];
            if let Some(service) = &rotation.journal.plan.store_restart {
                // The store's own container is new: its IP and published port may have changed.
                rotation.store.relocate().await;
                accepts_new_value(rotation, service).await?;
            }
            rotation.journal.advance(Step::Recreated)?;
        }
        let detail = if done.is_empty() { "no service recreated".to_string() } else { done.join(", ") };
        self.progress.step("recreate", t.elapsed(), &detail);
        fault_point(Step::Recreated);
        Ok(())
    }

    /// The end of the dual window: the old value revoked where it still logs in.
    async fn revoke<S: CredentialStore>(&self, rotation: &Rotation<S>) -> Result<(), RotationError> {
        let Rotation { store, journal, .. } = rotation;
        let t = Instant::now();
        if store.dual_window() {
            match store.probe(&journal.old).await {
                Probe::Ok => store.finish(&journal.old, &journal.new).await?,
                Probe::Rejected => {}
                // Everything runs with the new value; only the revocation is left, for --resume.
                Probe::Unreachable(reason) => {
                    return Err(RotationError::RevokePending {
                        key: journal.plan.key.clone(),
                        store: store.describe(),
                        reason,
                        journal: journal.path(),
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

    /// The archive, the audit entry and the journal's removal of a rotation that ended well.
    fn finish<S>(&self, rotation: &Rotation<S>) -> Result<Outcome, RotationError> {
        let journal = &rotation.journal;
        let outcome = self.outcome(rotation, "ok", journal.plan.recreate_order());
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
        journal.remove().map_err(|e| RotationError::Io(journal.path(), e))?;
        fault_point(Step::Finished);
        Ok(outcome)
    }

    pub(super) fn audit(&self, journal: &Journal, outcome: &Outcome) -> Result<(), RotationError> {
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

    pub(super) fn outcome<S>(&self, rotation: &Rotation<S>, result: &'static str, services: Vec<String>) -> Outcome {
        let journal = &rotation.journal;
        Outcome {
            key: journal.plan.key.clone(),
            store: journal.plan.store.name().to_string(),
            old_fingerprint: journal.old.fingerprint(),
            new_fingerprint: journal.new.fingerprint(),
            services,
            duration: rotation.started.elapsed(),
            result,
            state_dir: journal.plan.state_dir.clone(),
        }
    }
}

/// How long a store's new container may take to accept logins once it runs.
const STORE_START_TIMEOUT: Duration = Duration::from_secs(60);
/// How often a store still starting is asked again.
const STORE_START_POLL: Duration = Duration::from_millis(100);

/// Waits until the store's new container (`service`) logs in with the rotation's new value: what its restart must
/// give, checked where it matters (the recreate only saw the container run). Refused, or not answering within
/// [`STORE_START_TIMEOUT`], is a failed recreate.
async fn accepts_new_value<S: CredentialStore>(rotation: &Rotation<S>, service: &str) -> Result<(), RotationError> {
    let deadline = Instant::now() + STORE_START_TIMEOUT;
    loop {
        let why = match rotation.store.probe(&rotation.journal.new).await {
            Probe::Ok => return Ok(()),
            Probe::Rejected => "refuses the new value".to_string(),
            Probe::Unreachable(reason) if Instant::now() >= deadline => {
                format!("does not answer {}s after it started: {reason}", STORE_START_TIMEOUT.as_secs())
            }
            Probe::Unreachable(_) => {
                tokio::time::sleep(STORE_START_POLL).await;
                // The container may have been found before it had its address (or a task before it was placed).
                rotation.store.relocate().await;
                continue;
            }
        };
        return Err(RotationError::Recreate(format!(
            "service {service}: its new container {why} ({})",
            rotation.store.describe()
        )));
    }
}

/// The services of `plans` in one recreate order: each once, consumers in the plans' order, then the stores' own
/// containers (a store's consumers come up against it before it restarts, as in a single rotation).
pub(super) fn joint_order(plans: &[&RotationPlan]) -> Vec<String> {
    let stores: Vec<&String> = plans.iter().filter_map(|p| p.store_restart.as_ref()).collect();
    let mut order: Vec<String> = Vec::new();
    let consumers = plans.iter().flat_map(|p| &p.consumers).filter(|s| !stores.contains(s));
    for service in consumers.chain(stores.iter().copied()) {
        if !order.contains(service) {
            order.push(service.clone());
        }
    }
    order
}
