//! `docker secops rotate`: the runbook's rotation as one crash-safe command (DESIGN §4).

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::engine;
use crate::cli::{FormatArg, RotateArgs};
use crate::docker::{ComposeRunner, DockerClient};
use crate::exit::Exit;
use crate::interrupt::Interrupt;
use crate::live::ServiceRecreator;
use crate::output::{self, StepPrinter};
use crate::plugin::GlobalFlags;
use crate::project::{Project, ProjectError};
use crate::rotation::Progress;
use crate::rotation::{
    AnyRecreator, Credentials, Engine, Journal, NewValue, Outcome, PlanOptions, Planned, RotationError, RotationLock,
    RotationPlan, StoreSpec, Target, plan_offline, plan_project,
};
use crate::secret::Secret;
use crate::stores::{
    AnyStore, EnvOnly, MongoAdmin, MongoStore, Probe, RedisStore, StoreAddress, StoreKind, StoreLocator,
};

/// What the rotation works on: a compose project, or one env file with no project (the offline form).
enum Scope {
    Project(Box<Project>),
    Offline(PathBuf),
}

/// Plans, confirms, and runs (or resumes, or rolls back) a rotation.
pub fn run(args: RotateArgs, global: &GlobalFlags) -> Result<Exit> {
    let scope = scope(&args)?;
    if let Some(recipient) = &args.archive_recipient {
        crate::audit::parse_recipient(recipient)?;
    }
    let options = PlanOptions {
        length: args.length,
        keep_previous: args.keep_previous.clone(),
        no_recreate: args.no_recreate,
        archive_recipient: args.archive_recipient.clone(),
    };
    let targets: Vec<Target> = match (&args.target, args.all, &scope) {
        (Some(word), _, _) => vec![Target::parse(word)],
        (None, true, Scope::Project(project)) => all_targets(project),
        _ => Vec::new(),
    };
    let runtime = engine::runtime()?;
    if args.resume || args.rollback {
        let state_dir = match &scope {
            Scope::Project(project) => project.directory.join(crate::audit::AUDIT_DIR),
            Scope::Offline(file) => file.parent().unwrap_or(std::path::Path::new(".")).join(crate::audit::AUDIT_DIR),
        };
        let journal = Journal::load(&state_dir)?
            .with_context(|| format!("no interrupted rotation: no journal in {}", state_dir.display()))?;
        let (key, state_dir) = (journal.plan.key.clone(), journal.plan.state_dir.clone());
        let interrupt = engine::listen(output::signal_notice)?;
        let outcome = match runtime.block_on(continue_journal(&args, global, &scope, journal, &interrupt)) {
            Ok(outcome) => outcome,
            Err(err) => return stopped(err, &interrupt, &key, &state_dir),
        };
        output::rotation_outcome(&outcome, args.format == FormatArg::Json)?;
        return Ok(Exit::Ok);
    }
    for target in targets {
        // `--all`: a signal during one rotation also stops the ones after it.
        if let Some(interrupt) = Interrupt::current()
            && let (Some(signal), Some(code)) = (interrupt.requested(), interrupt.exit_code())
        {
            output::stopped(&format!("{signal} received: {target} and the targets after it were not rotated"));
            return Ok(Exit::Signal(code));
        }
        let planned = match &scope {
            Scope::Project(project) => plan_project(project, &target, &options)?,
            Scope::Offline(file) => match &target {
                Target::Key(key) => plan_offline(file, key, &options)?,
                _ => bail!("`rotate redis|mongo|jwt` needs a compose project; offline, name the key to rotate"),
            },
        };
        if let Some(journal) = Journal::load(&planned.plan.state_dir)? {
            bail!(RotationError::Interrupted {
                key: journal.plan.key.clone(),
                journal: Journal::path_in(&journal.plan.state_dir),
            });
        }
        let current = planned.file_old.fingerprint();
        // Read and judged before the dry run stops, so `--dry-run --new-from-stdin` tells whether it would pass.
        let new_value = match args.new_from_stdin {
            true => NewValue::Provided { secret: read_secret_from_stdin("new value")?, allow_weak: args.allow_weak },
            false => NewValue::Generate,
        };
        new_value.produce(&planned.plan, &planned.file_old)?;
        if args.dry_run {
            output::rotation_plan(&planned.plan, &current)?;
            continue;
        }
        confirm(&args, &planned.plan, &current)?;
        // From here on a SIGINT/SIGTERM stops the rotation at a step boundary instead of killing it half-way.
        let (key, state_dir) = (planned.plan.key.clone(), planned.plan.state_dir.clone());
        let interrupt = engine::listen(output::signal_notice)?;
        let outcome = match runtime.block_on(rotate_one(&args, global, &scope, planned, &new_value, &interrupt)) {
            Ok(outcome) => outcome,
            Err(err) => return stopped(err, &interrupt, &key, &state_dir),
        };
        output::rotation_outcome(&outcome, args.format == FormatArg::Json)?;
    }
    Ok(Exit::Ok)
}

/// A rotation that failed: a clean stop on a signal exits 128 + its number, anything else is an error.
fn stopped(err: anyhow::Error, interrupt: &Interrupt, key: &str, state_dir: &Path) -> Result<Exit> {
    let clean_stop = matches!(err.downcast_ref::<RotationError>(), Some(RotationError::Stopped { .. }));
    match interrupt.exit_code() {
        Some(code) if clean_stop => {
            let what = match Journal::path_in(state_dir) {
                journal if journal.exists() => format!(
                    "{err}; the rotation of {key} is kept in {} (`--resume` finishes it, `--rollback` undoes it)",
                    journal.display()
                ),
                _ => format!("{err}; {key} keeps its old value"),
            };
            output::stopped(&what);
            Ok(Exit::Signal(code))
        }
        _ => Err(err),
    }
}

/// The project the flags select, or the single `--env-file` when there is no compose file at all.
fn scope(args: &RotateArgs) -> Result<Scope> {
    let options = super::project_options(&args.project)?;
    match Project::load(&options) {
        Ok(project) => Ok(Scope::Project(Box::new(project))),
        Err(ProjectError::NoComposeFile { .. })
            if args.project.env_files.len() == 1 && args.project.files.is_empty() =>
        {
            Ok(Scope::Offline(args.project.env_files[0].clone()))
        }
        Err(err) => {
            Err(err).context("cannot load the compose project (offline: `--env-file FILE --no-recreate` and a key)")
        }
    }
}

/// Every secret worth rotating: the x-secops declarations, else redis, mongo and jwt where the project has them.
fn all_targets(project: &Project) -> Vec<Target> {
    let declared = crate::project::SecretDecl::all(project);
    if !declared.is_empty() {
        return declared.into_iter().map(|d| Target::Key(d.key)).collect();
    }
    let opts = PlanOptions::default();
    [Target::Redis, Target::Mongo, Target::Jwt]
        .into_iter()
        .filter(|t| plan_project(project, t, &opts).is_ok())
        .collect()
}

fn confirm(args: &RotateArgs, plan: &RotationPlan, current: &str) -> Result<()> {
    if args.yes {
        return Ok(());
    }
    if !std::io::stdin().is_terminal() || args.current_from_stdin {
        bail!("refusing to rotate {} without --yes: stdin is not a terminal to confirm on", plan.key);
    }
    if !output::confirm(plan, current)? {
        bail!("rotation of {} cancelled", plan.key);
    }
    Ok(())
}

/// A new rotation: find the working credential, stage, run.
async fn rotate_one(
    args: &RotateArgs,
    global: &GlobalFlags,
    scope: &Scope,
    planned: Planned,
    new_value: &NewValue,
    interrupt: &Interrupt,
) -> Result<Outcome> {
    let Planned { plan, file_old } = planned;
    let lock = RotationLock::acquire(&plan.state_dir.join("rotation.lock"), &plan.key)?;
    let progress = StepPrinter::new();
    if let Some(stale) = &lock.recovered_from {
        progress.warn(&match stale.pid {
            0 => format!("took over {} (left by a crash)", stale.started),
            pid => format!("took over a stale lock of dead pid {pid} from {}", stale.started),
        });
    }
    let new = new_value.produce(&plan, &file_old)?;
    let docker = Docker::connect(args, global, scope, &plan).await?;
    let address = docker.address(&plan.store, args).await?;
    let old = working_credential(&plan, address.as_ref(), &file_old, args).await?;
    let store = open_store(&plan.store, address, docker.locator(&plan.store, args), &old, args).await?;
    let secrets = [old.clone(), file_old.clone(), new.clone()];
    let recreator = docker.recreator(args, &secrets);
    let engine =
        Engine { store: &store, recreator: &recreator, progress: &progress, no_rollback: args.no_rollback, interrupt };
    // A signal during the preparation: stop before anything is written.
    engine.checkpoint()?;
    let journal =
        engine.stage(plan, Credentials { old, file_old, new }, &super::operator::operator(args.operator.as_deref()))?;
    Ok(engine.run(journal).await?)
}

/// `--resume` / `--rollback` of a journal.
async fn continue_journal(
    args: &RotateArgs,
    global: &GlobalFlags,
    scope: &Scope,
    journal: Journal,
    interrupt: &Interrupt,
) -> Result<Outcome> {
    let plan = journal.plan.clone();
    let _lock = RotationLock::acquire(&plan.state_dir.join("rotation.lock"), &plan.key)?;
    let progress = StepPrinter::new();
    let docker = Docker::connect(args, global, scope, &plan).await?;
    let address = docker.address(&plan.store, args).await?;
    // The store is opened with whichever credential it accepts now: the new one if `set` happened.
    let login = match &address {
        Some(addr) if probe(&plan.store, addr, &journal.new).await == Probe::Ok => journal.new.clone(),
        _ => journal.old.clone(),
    };
    let store = open_store(&plan.store, address, docker.locator(&plan.store, args), &login, args).await?;
    let secrets = [journal.old.clone(), journal.file_old.clone(), journal.new.clone()];
    let recreator = docker.recreator(args, &secrets);
    let engine =
        Engine { store: &store, recreator: &recreator, progress: &progress, no_rollback: args.no_rollback, interrupt };
    Ok(if args.rollback { engine.rollback(journal).await? } else { engine.resume(journal).await? })
}

/// The credential the store accepts: the env file's, or (after drift) the one given on stdin.
async fn working_credential(
    plan: &RotationPlan,
    address: Option<&StoreAddress>,
    file_old: &Secret,
    args: &RotateArgs,
) -> Result<Secret> {
    let Some(address) = address else { return Ok(file_old.clone()) };
    match probe(&plan.store, address, file_old).await {
        Probe::Ok => Ok(file_old.clone()),
        Probe::Unreachable(reason) => bail!("{} is unreachable at {address}: {reason}", plan.store.name()),
        Probe::Rejected if args.current_from_stdin => {
            let current = read_secret_from_stdin("current credential")?;
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

/// Tries `secret` against the store of `spec` at `address`.
async fn probe(spec: &StoreSpec, address: &StoreAddress, secret: &Secret) -> Probe {
    match spec {
        StoreSpec::Redis { user, .. } => crate::stores::redis::probe(address, Some(user.as_str()), secret).await,
        StoreSpec::Mongo { user, auth_db, .. } => {
            crate::stores::mongo::probe(address, user, secret, Some(auth_db)).await
        }
        StoreSpec::Env => Probe::Ok,
    }
}

/// Reads one secret line from stdin, without echo on a terminal.
fn read_secret_from_stdin(what: &str) -> Result<Secret> {
    let value = if std::io::stdin().is_terminal() {
        rpassword::prompt_password(format!("{what}: ")).context("cannot read from the terminal")?
    } else {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read stdin")?;
        text.lines().next().unwrap_or_default().to_string()
    };
    if value.is_empty() {
        bail!("no {what} on stdin");
    }
    Ok(Secret::new(value))
}

/// The engine connection and compose runner, when the rotation touches containers or reaches a store.
struct Docker<'a> {
    project: Option<&'a Project>,
    client: Option<DockerClient>,
    compose: Option<ComposeRunner>,
}

impl<'a> Docker<'a> {
    async fn connect(
        args: &RotateArgs,
        global: &GlobalFlags,
        scope: &'a Scope,
        plan: &RotationPlan,
    ) -> Result<Docker<'a>> {
        let Scope::Project(project) = scope else { return Ok(Docker { project: None, client: None, compose: None }) };
        let needs_engine = !plan.recreate_order().is_empty()
            || (plan.store != StoreSpec::Env && args.redis_uri.is_none() && args.mongo_uri.is_none());
        if !needs_engine {
            return Ok(Docker { project: Some(project), client: None, compose: None });
        }
        let client = engine::connect(global).await?;
        let compose = if plan.recreate_order().is_empty() {
            None
        } else {
            let redactor = engine::redactor(project, &[]);
            Some(ComposeRunner::detect(global, &engine::compose_flags(&args.project)).await?.with_redactor(redactor))
        };
        Ok(Docker { project: Some(project), client: Some(client), compose })
    }

    /// The recreator for the plan: none offline or with `--no-recreate`.
    fn recreator(&self, args: &RotateArgs, secrets: &[Secret]) -> AnyRecreator<ServiceRecreator<'_>> {
        match (&self.client, &self.compose, self.project) {
            (Some(client), Some(compose), Some(project)) if !args.no_recreate => {
                let redactor = engine::redactor(project, &[]).with(secrets.iter().cloned());
                AnyRecreator::Real(ServiceRecreator {
                    client,
                    compose,
                    project,
                    timeout: Duration::from_secs(args.timeout),
                    redactor,
                })
            }
            _ => AnyRecreator::None,
        }
    }

    /// How to find the store again once the rotation recreated its container (not for a `--*-uri` override).
    fn locator(&self, store: &StoreSpec, args: &RotateArgs) -> Option<StoreLocator> {
        let (kind, service) = match store {
            StoreSpec::Redis { service, .. } if args.redis_uri.is_none() => (StoreKind::Redis, service.as_ref()?),
            StoreSpec::Mongo { service, .. } if args.mongo_uri.is_none() => (StoreKind::Mongo, service.as_ref()?),
            _ => return None,
        };
        let (client, project) = (self.client.as_ref()?, self.project?);
        Some(StoreLocator { client: client.clone(), project: project.name.clone(), service: service.clone(), kind })
    }

    /// Where the store answers, for stores that have one.
    async fn address(&self, store: &StoreSpec, args: &RotateArgs) -> Result<Option<StoreAddress>> {
        let (kind, uri) = match store {
            StoreSpec::Env => return Ok(None),
            StoreSpec::Redis { .. } => (StoreKind::Redis, args.redis_uri.as_deref()),
            StoreSpec::Mongo { .. } => (StoreKind::Mongo, args.mongo_uri.as_deref()),
        };
        if let Some(uri) = uri {
            return Ok(Some(StoreAddress::from_uri(kind, uri)?));
        }
        let Some(locator) = self.locator(store, args) else {
            bail!("cannot find the {} service: pass {}", kind.as_str(), kind.uri_flag());
        };
        Ok(Some(locator.locate().await?))
    }
}

/// Opens the plan's store, logged in with `login`.
async fn open_store(
    spec: &StoreSpec,
    address: Option<StoreAddress>,
    locator: Option<StoreLocator>,
    login: &Secret,
    args: &RotateArgs,
) -> Result<AnyStore> {
    Ok(match (spec, address) {
        (StoreSpec::Env, _) | (_, None) => AnyStore::Env(EnvOnly),
        (StoreSpec::Redis { service, user }, Some(address)) => {
            let service = service.as_deref().unwrap_or("redis");
            let store = RedisStore::open(address, service, Some(user), login).await?;
            AnyStore::Redis(match locator {
                Some(locator) => store.with_locator(locator),
                None => store,
            })
        }
        (StoreSpec::Mongo { service, user, auth_db }, Some(address)) => {
            let mut store = MongoStore::new(address, service.as_deref().unwrap_or("mongo"), user, Some(auth_db));
            if let Some(admin) = &args.admin_user {
                let password = read_secret_from_stdin(&format!("password of MongoDB admin {admin}"))?;
                store = store.with_admin(MongoAdmin { user: admin.clone(), password, auth_db: auth_db.clone() });
            }
            AnyStore::Mongo(store)
        }
    })
}
