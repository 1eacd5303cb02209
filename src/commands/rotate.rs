//! `docker secops rotate`: the runbook's rotation as one crash-safe command (DESIGN §4).

use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::engine;
use crate::cli::{FormatArg, RotateArgs};
use crate::docker::{ComposeRunner, ContainerInfo, DockerClient, ORIGINAL_CLI_ENV};
use crate::exit::Exit;
use crate::interrupt::Interrupt;
use crate::live::ServiceRecreator;
use crate::output::{self, Answer, StepPrinter};
use crate::plugin::GlobalFlags;
use crate::project::{Project, ProjectError};
use crate::rotation::Progress;
use crate::rotation::{
    AnyRecreator, Credentials, Engine, Journal, LockError, NewValue, Outcome, PlanOptions, Planned, Recovery,
    RecoveryPlan, RotationError, RotationLock, RotationPlan, Target, plan_offline, plan_project,
};
use crate::secret::Secret;
use crate::state_dir::StateDir;
use crate::stores::{
    Admin, AnyStore, ContainerExec, OpenRequest, Probe, StoreAddress, StoreKind, StoreLocator, StoreSpec,
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
        env_only: args.env_only,
    };
    let targets: Vec<Target> = match (&args.target, args.all, &scope) {
        (Some(word), _, _) => vec![Target::parse(word)],
        (None, true, Scope::Project(project)) => all_targets(project),
        _ => Vec::new(),
    };
    let runtime = engine::runtime()?;
    if args.resume || args.rollback {
        let state = match &scope {
            Scope::Project(project) => StateDir::of_project(&project.directory),
            Scope::Offline(file) => StateDir::beside(file),
        };
        let journal = Journal::load(state.path())?
            .with_context(|| format!("no interrupted rotation: no journal in {}", state.path().display()))?;
        let (key, state_dir) = (journal.plan.key.clone(), journal.plan.state_dir.clone());
        let recovery = if args.rollback { Recovery::Rollback } else { Recovery::Resume };
        let json = args.format == FormatArg::Json;
        // A dry run only asks the store which value it accepts; nothing is locked, written or recreated.
        if args.dry_run {
            let plan = runtime.block_on(recovery_plan(&args, global, &scope, &journal, recovery))?;
            output::recovery_plan(&plan, json)?;
            return Ok(Exit::Ok);
        }
        refuse_without_terminal(&args, &format!("{} the rotation of {key}", recovery_verb(recovery)))?;
        let interrupt = engine::listen(output::signal_notice)?;
        if !args.yes {
            let plan = runtime.block_on(recovery_plan(&args, global, &scope, &journal, recovery))?;
            if let Some(exit) =
                ask(&output::recovery_text(&plan), &interrupt, &format!("the rotation of {key} is kept"))?
            {
                return Ok(exit);
            }
        }
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
                _ => bail!("`rotate {target}` needs a compose project; offline, name the key to rotate"),
            },
        };
        // A journal beside a live lock holder is a rotation running right now, not an interrupted one.
        let lock = planned.plan.state().lock();
        if let Some(holder) = RotationLock::live_holder(&lock) {
            bail!(LockError::Held { path: lock, holder });
        }
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
            output::rotation_plan(&planned.plan, &current, args.format == FormatArg::Json)?;
            continue;
        }
        refuse_without_terminal(&args, &format!("rotate {}", planned.plan.key))?;
        // From here on a SIGINT/SIGTERM stops the rotation at a step boundary instead of killing it half-way (and
        // ends the prompt with a message).
        let (key, state_dir) = (planned.plan.key.clone(), planned.plan.state_dir.clone());
        let interrupt = engine::listen(output::signal_notice)?;
        if !args.yes {
            let text = output::plan_text(&planned.plan, &current);
            if let Some(exit) = ask(&text, &interrupt, &format!("rotation of {key} cancelled"))? {
                return Ok(exit);
            }
        }
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

/// Every secret worth rotating: the x-secops declarations, else each store and jwt where the project has them.
fn all_targets(project: &Project) -> Vec<Target> {
    let declared = crate::project::SecretDecl::all(project);
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

/// `--yes` is required when there is no terminal to confirm on (and stdin is taken by `--current-from-stdin`).
fn refuse_without_terminal(args: &RotateArgs, what: &str) -> Result<()> {
    if !args.yes && (!std::io::stdin().is_terminal() || args.current_from_stdin) {
        bail!("refusing to {what} without --yes: stdin is not a terminal to confirm on");
    }
    Ok(())
}

/// Asks `Proceed? [y/N]` after `text`. `None`: go on. A no ends the run with exit 0 (a deliberate answer, not an
/// error); a signal at the prompt with 128 + its number. Either way nothing has changed.
fn ask(text: &str, interrupt: &Interrupt, declined: &str) -> Result<Option<Exit>> {
    Ok(match output::confirm_text(text, interrupt)? {
        Answer::Yes => None,
        Answer::No => {
            output::cancelled(declined);
            Some(Exit::Ok)
        }
        Answer::Signal(signal) => {
            output::stopped(&format!("{signal} at the prompt: nothing changed"));
            Some(Exit::Signal(interrupt.exit_code().unwrap_or(130)))
        }
    })
}

fn recovery_verb(recovery: Recovery) -> &'static str {
    match recovery {
        Recovery::Resume => "resume",
        Recovery::Rollback => "roll back",
    }
}

/// What `--resume` / `--rollback` would do with `journal`: the store is asked which value it accepts, nothing else.
async fn recovery_plan(
    args: &RotateArgs,
    global: &GlobalFlags,
    scope: &Scope,
    journal: &Journal,
    recovery: Recovery,
) -> Result<RecoveryPlan> {
    let plan = &journal.plan;
    let accepts = if plan.store.store_kind().is_external() {
        let docker = Docker::connect(args, global, scope, plan).await?;
        let uri = store_uri(args, &plan.store)?;
        match docker.address(&plan.store, uri).await {
            Ok(Some(address)) => Some((
                probe(&plan.store, &address, &journal.new).await,
                probe(&plan.store, &address, &journal.old).await,
            )),
            Ok(None) => None,
            Err(err) => Some((Probe::Unreachable(err.to_string()), Probe::Unreachable(err.to_string()))),
        }
    } else {
        None
    };
    Ok(RecoveryPlan::of(journal, recovery, accepts))
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
    let lock = RotationLock::acquire(&plan.state().lock(), &plan.key)?;
    let progress = StepPrinter::new();
    if let Some(stale) = &lock.recovered_from {
        progress.warn(&match stale.pid {
            0 => format!("took over {} (left by a crash)", stale.started),
            pid => format!("took over a stale lock of dead pid {pid} from {}", stale.started),
        });
    }
    let new = new_value.produce(&plan, &file_old)?;
    let docker = Docker::connect(args, global, scope, &plan).await?;
    let uri = store_uri(args, &plan.store)?;
    let address = docker.address(&plan.store, uri).await?;
    let old = working_credential(&plan, address.as_ref(), &file_old, args).await?;
    let via_exec = docker.via_exec(&plan.store, args, global).await?;
    let store = open_store(&plan.store, address, docker.locator(&plan.store, uri), &old, args, via_exec).await?;
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
    let _lock = RotationLock::acquire(&plan.state().lock(), &plan.key)?;
    let progress = StepPrinter::new();
    let docker = Docker::connect(args, global, scope, &plan).await?;
    let uri = store_uri(args, &plan.store)?;
    let address = docker.address(&plan.store, uri).await?;
    // The store is opened with whichever credential it accepts now: the new one if `set` happened.
    let login = match &address {
        Some(addr) if probe(&plan.store, addr, &journal.new).await == Probe::Ok => journal.new.clone(),
        _ => journal.old.clone(),
    };
    let via_exec = docker.via_exec(&plan.store, args, global).await?;
    let store = open_store(&plan.store, address, docker.locator(&plan.store, uri), &login, args, via_exec).await?;
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
        // The database is changed from inside its container: no working password is needed (nor known).
        Probe::Rejected if args.via_exec => Ok(file_old.clone()),
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
    spec.store_kind().probe(address, spec, secret).await
}

/// The `--store-uri` whose scheme is the plan's store's, if one was given.
fn store_uri<'a>(args: &'a RotateArgs, spec: &StoreSpec) -> Result<Option<&'a str>> {
    for uri in &args.store_uri {
        if StoreKind::from_uri(uri)? == spec.store_kind() {
            return Ok(Some(uri));
        }
    }
    Ok(None)
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
        let needs_engine =
            !plan.recreate_order().is_empty() || (plan.store.external() && store_uri(args, &plan.store)?.is_none());
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
                    progress: output::recreate_progress,
                })
            }
            _ => AnyRecreator::None,
        }
    }

    /// How to find the store again once the rotation recreated its container (not for a `--store-uri`).
    fn locator(&self, store: &StoreSpec, uri: Option<&str>) -> Option<StoreLocator> {
        if uri.is_some() || !store.external() {
            return None;
        }
        let (client, project, service) = (self.client.as_ref()?, self.project?, store.service()?);
        Some(StoreLocator {
            client: client.clone(),
            project: project.name.clone(),
            service: service.to_string(),
            kind: store.store_kind(),
        })
    }

    /// `--via-exec`: the store's running container and how to `docker exec` in it.
    async fn via_exec(
        &self,
        store: &StoreSpec,
        args: &RotateArgs,
        global: &GlobalFlags,
    ) -> Result<Option<ContainerExec>> {
        if !args.via_exec {
            return Ok(None);
        }
        let (Some(client), Some(project), Some(service)) = (&self.client, self.project, store.service()) else {
            bail!("--via-exec needs the store's service running in a compose project");
        };
        let containers = client.service_containers(&project.name, service).await?;
        let Some(container) = ContainerInfo::representative(&containers).filter(|c| c.is_running()) else {
            bail!("--via-exec: service {service} has no running container");
        };
        let docker = std::env::var(ORIGINAL_CLI_ENV).ok().filter(|d| !d.is_empty()).unwrap_or_else(|| "docker".into());
        Ok(Some(ContainerExec {
            docker,
            global_args: global.to_args(),
            container: container.id.clone(),
            image: container.image.clone(),
        }))
    }

    /// Where the store answers, for stores that have one.
    async fn address(&self, store: &StoreSpec, uri: Option<&str>) -> Result<Option<StoreAddress>> {
        let kind = store.store_kind();
        if !kind.is_external() {
            return Ok(None);
        }
        if let Some(uri) = uri {
            return Ok(Some(StoreAddress::from_uri(kind, uri)?));
        }
        let Some(locator) = self.locator(store, uri) else {
            bail!("cannot find the {kind} service: pass {}", crate::stores::URI_FLAG);
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
    via_exec: Option<ContainerExec>,
) -> Result<AnyStore> {
    let (kind, address) = match address {
        Some(address) => (spec.store_kind(), address),
        // Offline, or a store outside the env files: nothing to reach.
        None => (StoreKind::env(), StoreAddress::Uri(String::new())),
    };
    let admin = match (&args.admin_user, kind.is_external()) {
        (Some(user), true) => {
            let password = read_secret_from_stdin(&format!("password of {kind} admin {user}"))?;
            Some(Admin { user: user.clone(), password })
        }
        _ => None,
    };
    let request = OpenRequest { spec: spec.clone(), address, locator, login: login.clone(), admin, via_exec };
    Ok(kind.open(request).await?)
}
