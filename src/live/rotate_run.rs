//! `rotate`'s core: plan the targets, then run them as one batch (each prepared up to `commit`, one recreate of
//! all their consumers, each old value revoked), or resume / roll back the journals an interrupted one left. The
//! command only turns flags into [`RotateOptions`], confirms, and prints what these return.

use anyhow::{Result, bail};

use super::rotate_deployment::{RotateDeployment, SecretReader, probe};
use super::{RotateIo, RotateOptions, RotateScope};
use crate::project::{Project, SecretDecl};
use crate::rotation::{
    AnyRecreator, Credentials, Engine, Journal, LockError, NewValue, Outcome, PlanOptions, Planned, Progress, Recovery,
    RecoveryPlan, Rotation, RotationError, RotationLock, RotationPlan, Target, plan_offline, plan_project,
};
use crate::secret::Secret;
use crate::state_dir::StateDir;
use crate::stores::{AnyStore, Probe, StoreKind};

/// How a batch of rotations ended: the ones that completed, and the error that stopped the rest.
pub struct RotateResult {
    pub outcomes: Vec<Outcome>,
    pub error: Option<anyhow::Error>,
}

/// Every secret worth rotating: the x-secops declarations, else each store and jwt where the project has them.
pub fn all_targets(project: &Project) -> Vec<Target> {
    let declared = SecretDecl::all(project);
    if !declared.is_empty() {
        return declared.into_iter().map(|d| Target::Key(d.key)).collect();
    }
    let opts = PlanOptions::default();
    StoreKind::external()
        .map(Target::Store)
        .chain([Target::Jwt])
        .filter(|t| plan_project(project, t, &opts).is_ok())
        .collect()
}

/// The plan of `target` as the files stand now.
pub fn plan(scope: &RotateScope, target: &Target, options: &PlanOptions) -> Result<Planned> {
    Ok(match scope {
        RotateScope::Project(project) => plan_project(project, target, options)?,
        RotateScope::Offline(file) => match target {
            Target::Key(key) => plan_offline(file, key, options)?,
            _ => bail!("`rotate {target}` needs a compose project; offline, name the key to rotate"),
        },
    })
}

/// The plans of `targets`, refused while another rotation runs or an interrupted one waits; `new_value` is
/// judged against each (so a dry run tells whether a value given on stdin would pass).
pub fn plan_all(
    scope: &RotateScope,
    targets: &[Target],
    options: &PlanOptions,
    new_value: &NewValue,
) -> Result<Vec<Planned>> {
    let mut planned = Vec::new();
    for target in targets {
        let one = plan(scope, target, options)?;
        // A journal beside a live lock holder is a rotation running right now, not an interrupted one.
        let lock = one.plan.state().lock();
        if let Some(holder) = RotationLock::live_holder(&lock) {
            bail!(LockError::Held { path: lock, holder });
        }
        if let Some(journal) = Journal::load(&one.plan.state_dir)? {
            bail!(RotationError::Interrupted { key: journal.plan.key.clone(), journal: journal.path() });
        }
        new_value.produce(&one.plan, &one.file_old)?;
        planned.push(one);
    }
    Ok(planned)
}

/// On a stack: `planned` with the secret objects each would swap (for `--dry-run` and the prompt; a rotation
/// names them again just before it stages, as the engine stands then). Nothing else on compose or offline.
pub async fn name_secret_objects(scope: &RotateScope, options: &RotateOptions, planned: &mut [Planned]) -> Result<()> {
    if options.stack.is_none() {
        return Ok(());
    }
    let plans: Vec<RotationPlan> = planned.iter().map(|p| p.plan.clone()).collect();
    let deployment = RotateDeployment::connect(options, scope, &plans.iter().collect::<Vec<_>>()).await?;
    for one in planned {
        deployment.name_secret_objects(&mut one.plan).await?;
    }
    Ok(())
}

/// Rotates `targets` in order: each is planned again just before it starts (an earlier one may have written the
/// same files), staged, set, tested and committed; then every consumer of all of them is recreated once and each
/// old value revoked. A failure rolls back the rotation it hit; the ones before it still complete.
pub async fn rotate<P: Progress>(
    scope: &RotateScope,
    targets: &[Target],
    options: &RotateOptions,
    new_value: &NewValue,
    io: &RotateIo<'_, P>,
) -> Result<RotateResult> {
    let RotateIo { interrupt, progress, recreate_progress, read_secret } = *io;
    let planned = plan_all(scope, targets, &options.plan, new_value)?;
    let Some(first) = planned.first() else { return Ok(RotateResult { outcomes: Vec::new(), error: None }) };
    let keys = planned.iter().map(|p| p.plan.key.as_str()).collect::<Vec<_>>().join(", ");
    let lock = RotationLock::acquire(&first.plan.state().lock(), &keys)?;
    if let Some(stale) = &lock.recovered_from {
        progress.warn(&match stale.pid {
            0 => format!("took over {} (left by a crash)", stale.started),
            pid => format!("took over a stale lock of dead pid {pid} from {}", stale.started),
        });
    }
    let plans: Vec<&RotationPlan> = planned.iter().map(|p| &p.plan).collect();
    let deployment = RotateDeployment::connect(options, scope, &plans).await?;
    let batch = (targets.len() > 1).then_some(());
    // `set`, `test` and `commit` never recreate: the recreator is built once the new values are all known.
    let preparing = Engine { recreator: &AnyRecreator::None, progress, no_rollback: options.no_rollback, interrupt };
    let mut rotations: Vec<Rotation<AnyStore>> = Vec::new();
    let mut error = None;
    for (slot, target) in targets.iter().enumerate() {
        if let Some(signal) = interrupt.requested() {
            error = Some(RotationError::Stopped { signal }.into());
            break;
        }
        match prepare_one(scope, target, options, new_value, &deployment, &preparing, batch.map(|()| slot), read_secret)
            .await
        {
            Ok(rotation) => rotations.push(rotation),
            Err(err) => {
                error = Some(err);
                break;
            }
        }
    }
    if rotations.is_empty() {
        return Ok(RotateResult { outcomes: Vec::new(), error });
    }
    let journals: Vec<&Journal> = rotations.iter().map(|r| &r.journal).collect();
    let recreator = deployment.recreator(&journals, recreate_progress);
    let engine = Engine { recreator: &recreator, ..preparing };
    match engine.complete(rotations, true).await {
        Ok(outcomes) => Ok(RotateResult { outcomes, error }),
        // The batch's own failure (its consumers did not come up) matters more than a later target's.
        Err(err) => Ok(RotateResult { outcomes: Vec::new(), error: Some(err.into()) }),
    }
}

/// Plans, opens the store for, stages and prepares one target of a batch.
#[allow(clippy::too_many_arguments)]
async fn prepare_one<R: crate::rotation::Recreator, P: Progress>(
    scope: &RotateScope,
    target: &Target,
    options: &RotateOptions,
    new_value: &NewValue,
    deployment: &RotateDeployment<'_>,
    engine: &Engine<'_, R, P>,
    batch_slot: Option<usize>,
    read_secret: SecretReader<'_>,
) -> Result<Rotation<AnyStore>> {
    let Planned { mut plan, file_old } = plan(scope, target, &options.plan)?;
    let new = new_value.produce(&plan, &file_old)?;
    // Named before anything changes, so that the journal holds them for a resume or a rollback.
    deployment.name_secret_objects(&mut plan).await?;
    let address = deployment.address(&plan.store).await?;
    let old = working_credential(&plan, address.as_ref(), &file_old, options, read_secret).await?;
    let store = deployment.open(&plan.store, address, &old, read_secret).await?;
    // A signal during the preparation: stop before anything is written.
    engine.checkpoint()?;
    let journal = engine.stage(plan, Credentials { old, file_old, new }, &options.operator, batch_slot)?;
    let mut rotation = Rotation::new(store, journal);
    engine.prepare(&mut rotation).await?;
    Ok(rotation)
}

/// The journals an interrupted rotation (or `rotate --all` batch) left in the scope's state directory.
pub fn journals(scope: &RotateScope) -> Result<Vec<Journal>> {
    let state = match scope {
        RotateScope::Project(project) => StateDir::of_project(&project.directory),
        RotateScope::Offline(file) => StateDir::beside(file),
    };
    let journals = Journal::load_all(state.path())?;
    if journals.is_empty() {
        bail!("no interrupted rotation: no journal in {}", state.path().display());
    }
    Ok(journals)
}

/// What `--resume` / `--rollback` would do with each journal: the stores are asked which value they accept,
/// nothing else.
pub async fn recovery_plans(
    scope: &RotateScope,
    journals: &[Journal],
    recovery: Recovery,
    options: &RotateOptions,
) -> Result<Vec<RecoveryPlan>> {
    let plans: Vec<&RotationPlan> = journals.iter().map(|j| &j.plan).collect();
    let deployment = RotateDeployment::connect(options, scope, &plans).await?;
    let mut out = Vec::new();
    for journal in journals {
        let accepts = deployment.accepts(&journal.plan.store, &journal.new, &journal.old).await?;
        out.push(RecoveryPlan::of(journal, recovery, accepts));
    }
    Ok(out)
}

/// `--resume` / `--rollback` of `journals`, together (one recreate).
pub async fn recover<P: Progress>(
    scope: &RotateScope,
    journals: Vec<Journal>,
    recovery: Recovery,
    options: &RotateOptions,
    io: &RotateIo<'_, P>,
) -> Result<Vec<Outcome>> {
    let RotateIo { interrupt, progress, recreate_progress, read_secret } = *io;
    let Some(first) = journals.first() else { return Ok(Vec::new()) };
    let keys = journals.iter().map(|j| j.plan.key.as_str()).collect::<Vec<_>>().join(", ");
    let _lock = RotationLock::acquire(&first.plan.state().lock(), &keys)?;
    let plans: Vec<&RotationPlan> = journals.iter().map(|j| &j.plan).collect();
    let deployment = RotateDeployment::connect(options, scope, &plans).await?;
    let mut rotations = Vec::new();
    for journal in journals {
        let address = deployment.address(&journal.plan.store).await?;
        // The store is opened with whichever credential it accepts now: the new one if `set` happened.
        let login = match &address {
            Some(addr) if probe(&journal.plan.store, addr, &journal.new).await == Probe::Ok => journal.new.clone(),
            _ => journal.old.clone(),
        };
        let store = deployment.open(&journal.plan.store, address, &login, read_secret).await?;
        rotations.push(Rotation::new(store, journal));
    }
    let journals: Vec<&Journal> = rotations.iter().map(|r| &r.journal).collect();
    let recreator = deployment.recreator(&journals, recreate_progress);
    let engine = Engine { recreator: &recreator, progress, no_rollback: options.no_rollback, interrupt };
    Ok(match recovery {
        Recovery::Resume => engine.resume(rotations).await?,
        Recovery::Rollback => engine.rollback(rotations).await?,
    })
}

/// The credential the store accepts: the env file's, or (after drift) the one given on stdin.
async fn working_credential(
    plan: &RotationPlan,
    address: Option<&crate::stores::StoreAddress>,
    file_old: &Secret,
    options: &RotateOptions,
    read_secret: SecretReader<'_>,
) -> Result<Secret> {
    let Some(address) = address else { return Ok(file_old.clone()) };
    match probe(&plan.store, address, file_old).await {
        Probe::Ok => Ok(file_old.clone()),
        Probe::Unreachable(reason) => bail!("{} is unreachable at {address}: {reason}", plan.store.name()),
        // The database is changed from inside its container: no working password is needed (nor known).
        Probe::Rejected if options.via_exec => Ok(file_old.clone()),
        Probe::Rejected if options.current_from_stdin => {
            let current = read_secret("current credential")?;
            match probe(&plan.store, address, &current).await {
                Probe::Ok => Ok(current),
                _ => bail!(
                    "the credential given on stdin does not log in to {} either: nothing changed",
                    plan.store.name()
                ),
            }
        }
        Probe::Rejected => Err(RotationError::CurrentRejected {
            key: plan.key.clone(),
            file: plan.primary_file.clone(),
            store: plan.store.name().to_string(),
        }
        .into()),
    }
}
