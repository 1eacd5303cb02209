//! `docker secops rotate`: the runbook's rotation as one crash-safe command (DESIGN §4). Flags in, plans
//! confirmed, one call into [`crate::live`]'s rotation core, outcomes out.

use std::io::{IsTerminal, Read};
use std::path::Path;

use anyhow::{Context, Result, bail};

use super::engine;
use crate::cli::{FormatArg, RotateArgs};
use crate::exit::Exit;
use crate::interrupt::Interrupt;
use crate::live::{self, RotateIo, RotateOptions, RotateScope};
use crate::output::{self, Answer, StepPrinter};
use crate::plugin::GlobalFlags;
use crate::project::{Project, ProjectError};
use crate::rotation::{Journal, NewValue, PlanOptions, Recovery, RotationError, Target};
use crate::secret::Secret;

/// Plans, confirms, and runs (or resumes, or rolls back) a rotation.
pub fn run(mut args: RotateArgs, global: &GlobalFlags) -> Result<Exit> {
    if let (Some(stack), None) = (&args.stack, &args.project.project_name) {
        // A stack's objects are named after it, as a compose project's are after the project.
        args.project.project_name = Some(stack.clone());
    }
    let runtime = engine::runtime()?;
    let scope = scope(&mut args, global, &runtime)?;
    if let Some(recipient) = &args.archive_recipient {
        crate::audit::parse_recipient(recipient)?;
    }
    // After `scope`: `-p NAME` from another directory has gained the files its containers name.
    let options = options(&args, global, &scope);
    let json = args.format == FormatArg::Json;
    let progress = StepPrinter::new();
    if args.resume || args.rollback {
        let recovery = if args.rollback { Recovery::Rollback } else { Recovery::Resume };
        let journals = live::journals(&scope)?;
        let what = journals.iter().map(|j| j.plan.key.as_str()).collect::<Vec<_>>().join(", ");
        // A dry run only asks the stores which value they accept; nothing is locked, written or recreated.
        if args.dry_run || !args.yes {
            let plans = runtime.block_on(live::recovery_plans(&scope, &journals, recovery, &options))?;
            if args.dry_run {
                for plan in &plans {
                    output::recovery_plan(plan, json)?;
                }
                return Ok(Exit::Ok);
            }
            refuse_without_terminal(&args, &format!("{} the rotation of {what}", recovery_verb(recovery)))?;
            let interrupt = engine::listen(output::signal_notice)?;
            let text = plans.iter().map(output::recovery_text).collect::<Vec<_>>().join("\n");
            if let Some(exit) = ask(&text, &interrupt, &format!("the rotation of {what} is kept"))? {
                return Ok(exit);
            }
        }
        let interrupt = engine::listen(output::signal_notice)?;
        let io = io(&interrupt, &progress);
        let state_dir = journals[0].plan.state_dir.clone();
        return match runtime.block_on(live::recover(&scope, journals, recovery, &options, &io)) {
            Ok(outcomes) => {
                for outcome in &outcomes {
                    output::rotation_outcome(outcome, json)?;
                }
                Ok(Exit::Ok)
            }
            Err(err) => stopped(err, &interrupt, &what, &state_dir),
        };
    }
    let targets: Vec<Target> = match (&args.target, args.all, &scope) {
        (Some(word), _, _) => vec![Target::parse(word)],
        (None, true, RotateScope::Project(project)) => live::all_targets(project),
        _ => Vec::new(),
    };
    // Read and judged before the dry run stops, so `--dry-run --new-from-stdin` tells whether it would pass.
    let new_value = match args.new_from_stdin {
        true => NewValue::Provided { secret: read_secret_from_stdin("new value")?, allow_weak: args.allow_weak },
        false => NewValue::Generate,
    };
    let mut planned = live::plan_all(&scope, &targets, &options.plan, &new_value)?;
    runtime.block_on(live::name_secret_objects(&scope, &options, &mut planned))?;
    if args.dry_run {
        for one in &planned {
            output::rotation_plan(&one.plan, &one.file_old.fingerprint(), json)?;
        }
        return Ok(Exit::Ok);
    }
    let Some(first) = planned.first() else { return Ok(Exit::Ok) };
    let what = planned.iter().map(|p| p.plan.key.as_str()).collect::<Vec<_>>().join(", ");
    refuse_without_terminal(&args, &format!("rotate {what}"))?;
    // From here on a SIGINT/SIGTERM stops the rotation at a step boundary instead of killing it half-way (and
    // ends the prompt with a message).
    let interrupt = engine::listen(output::signal_notice)?;
    if !args.yes {
        let text = planned.iter().map(|p| output::plan_text(&p.plan, &p.file_old.fingerprint())).collect::<Vec<_>>();
        if let Some(exit) = ask(&text.join("\n"), &interrupt, &format!("rotation of {what} cancelled"))? {
            return Ok(exit);
        }
    }
    let state_dir = first.plan.state_dir.clone();
    let io = io(&interrupt, &progress);
    let result = match runtime.block_on(live::rotate(&scope, &targets, &options, &new_value, &io)) {
        Ok(result) => result,
        Err(err) => return stopped(err, &interrupt, &what, &state_dir),
    };
    for outcome in &result.outcomes {
        output::rotation_outcome(outcome, json)?;
    }
    match result.error {
        Some(err) => stopped(err, &interrupt, &what, &state_dir),
        None => Ok(Exit::Ok),
    }
}

/// The rotation's options from the flags.
fn options(args: &RotateArgs, global: &GlobalFlags, scope: &RotateScope) -> RotateOptions {
    RotateOptions {
        plan: PlanOptions {
            length: args.length,
            keep_previous: args.keep_previous.clone(),
            no_recreate: args.no_recreate,
            archive_recipient: args.archive_recipient.clone(),
            env_only: args.env_only,
        },
        no_rollback: args.no_rollback,
        current_from_stdin: args.current_from_stdin,
        via_exec: args.via_exec,
        admin_user: args.admin_user.clone(),
        store_uris: args.store_uri.clone(),
        timeout: args.timeout,
        stack: args.stack.clone(),
        project_options: super::project_options(&args.project).ok(),
        operator: super::operator::operator(args.operator.as_deref()),
        global: global.clone(),
        compose_flags: engine::compose_flags(&args.project),
        redactor: match scope {
            RotateScope::Project(project) => engine::redactor(project, &[]),
            RotateScope::Offline(_) => Default::default(),
        },
    }
}

/// The rotation's terminal: the step printer, the recreate's events, secrets read from stdin.
fn io<'a>(interrupt: &'a Interrupt, progress: &'a StepPrinter) -> RotateIo<'a, StepPrinter> {
    RotateIo { interrupt, progress, recreate_progress: output::recreate_progress, read_secret: &read_secret_from_stdin }
}

/// A rotation that failed: a clean stop on a signal exits 128 + its number, anything else is an error.
fn stopped(err: anyhow::Error, interrupt: &Interrupt, what: &str, state_dir: &Path) -> Result<Exit> {
    let clean_stop = matches!(err.downcast_ref::<RotationError>(), Some(RotationError::Stopped { .. }));
    match interrupt.exit_code() {
        Some(code) if clean_stop => {
            let text = match Journal::load(state_dir) {
                Ok(Some(journal)) => format!(
                    "{err}; the rotation of {} is kept in {} (`--resume` finishes it, `--rollback` undoes it)",
                    journal.plan.key,
                    journal.path().display()
                ),
                _ => format!("{err}; {what} keeps its old value"),
            };
            output::stopped(&text);
            Ok(Exit::Signal(code))
        }
        _ => Err(err),
    }
}

/// The project the flags select, or the single `--env-file` when there is no compose file at all. With no compose
/// file here but `-p NAME`, the project its containers' compose labels name (as `docker compose -p NAME` finds it).
fn scope(args: &mut RotateArgs, global: &GlobalFlags, runtime: &tokio::runtime::Runtime) -> Result<RotateScope> {
    let options = super::project_options(&args.project)?;
    match Project::load(&options) {
        Ok(project) => {
            super::fingerprint_key::install(
                &crate::state_dir::StateDir::of_project(&project.directory),
                &args.project,
            )?;
            Ok(RotateScope::Project(Box::new(project)))
        }
        Err(ProjectError::NoComposeFile { .. })
            if args.project.env_files.len() == 1 && args.project.files.is_empty() =>
        {
            let file = args.project.env_files[0].clone();
            super::fingerprint_key::install(&crate::state_dir::StateDir::beside(&file), &args.project)?;
            Ok(RotateScope::Offline(file))
        }
        // A swarm stack's containers carry no compose labels: only a compose project is looked up by them.
        Err(ProjectError::NoComposeFile { .. }) if args.project.project_name.is_some() && args.stack.is_none() => {
            let project = runtime.block_on(async {
                let client = engine::connect(global).await?;
                engine::load_project_or_labels(&mut args.project, &client).await
            })?;
            Ok(RotateScope::Project(Box::new(project)))
        }
        Err(err) => {
            Err(err).context("cannot load the compose project (offline: `--env-file FILE --no-recreate` and a key)")
        }
    }
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
