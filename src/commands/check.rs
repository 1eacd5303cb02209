//! `docker secops check`: the offline audit.

use anyhow::{Context as _, Result};

use crate::checks::{self, Baseline, CheckOptions, Context, Report, Selection, Severity};
use crate::cli::{CheckArgs, CheckFormatArg, FailOnArg};
use crate::exit::Exit;
use crate::output;
use crate::project::Project;
use crate::state_dir::StateDir;

/// Loads the project, runs the selected checks, prints the report; exit 1 when a finding reaches `--fail-on`.
pub fn run(args: CheckArgs) -> Result<Exit> {
    if args.list {
        output::check_list(&checks::registry())?;
        return Ok(Exit::Ok);
    }
    let options = super::project_options(&args.project)?;
    let project = Project::load(&options).context("cannot load the compose project")?;
    super::fingerprint_key::install(&StateDir::of_project(&project.directory), &args.project)?;
    let baseline = match &args.baseline {
        Some(path) => read_baseline(path)?,
        None => Baseline::default(),
    };
    let check_options = CheckOptions {
        env: args.env.clone(),
        history: !args.no_history,
        max_age_days: args.max_age,
        now: time::OffsetDateTime::now_utc(),
    };
    let cx = Context::build(project, check_options)?;
    let selection = Selection { only: args.only.clone(), skip: args.skip.clone(), swarm: args.swarm, baseline };
    let report = checks::run(&cx, &selection);
    match args.format {
        CheckFormatArg::Human => output::check_human(&report)?,
        CheckFormatArg::Json => output::check_json(&report)?,
        CheckFormatArg::Sarif => output::check_sarif(&report, &checks::registry())?,
        CheckFormatArg::Github => output::check_github(&report)?,
    }
    // The process ends once the exit code is known: freeing every node, env file and entry of a large project one
    // by one was an eighth of `check`'s time on 2,000 env files (bench/README.md), and the kernel reclaims it all.
    std::mem::forget(cx);
    let threshold = match args.fail_on {
        FailOnArg::Error => Some(Severity::Error),
        FailOnArg::Warning => Some(Severity::Warning),
        FailOnArg::Info => Some(Severity::Info),
        FailOnArg::Never => None,
    };
    Ok(if report.fails(threshold) { Exit::Findings } else { Exit::Ok })
}

/// The findings of an earlier `--format json` report.
fn read_baseline(path: &std::path::Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read baseline {}", path.display()))?;
    let report: Report = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a `docker secops check --format json` report", path.display()))?;
    Ok(Baseline::of(&report))
}
