//! `docker secops init`: create the missing env files from their templates, with generated secrets.

use anyhow::{Context, Result};

use crate::cli::InitArgs;
use crate::exit::Exit;
use crate::init::InitPlan;
use crate::output;
use crate::project::Project;

/// Plans, prints (`--dry-run` stops there), writes.
pub fn run(args: InitArgs) -> Result<Exit> {
    let options = super::project_options(&args.project)?;
    let project = Project::load(&options).context("cannot load the compose project")?;
    super::fingerprint_key::install(&crate::state_dir::StateDir::of_project(&project.directory), &args.project)?;
    let plan = InitPlan::plan(&project, args.env.as_deref())?;
    if !args.dry_run {
        plan.apply(&super::operator::operator(args.operator.as_deref()))?;
    }
    output::init(&plan, args.dry_run)?;
    Ok(Exit::Ok)
}
