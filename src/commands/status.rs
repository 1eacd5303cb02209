//! `docker secops status`: each service's container, env drift of its secret keys, and live store logins.

use anyhow::Result;

use super::engine;
use crate::cli::{FormatArg, StatusArgs};
use crate::exit::Exit;
use crate::live::{StatusOptions, StatusReport};
use crate::output;
use crate::plugin::GlobalFlags;

/// Collects and prints the status; exit 1 when anything is stale, missing, rejected or unreachable.
pub fn run(mut args: StatusArgs, global: &GlobalFlags) -> Result<Exit> {
    if let (Some(stack), None) = (&args.stack, &args.project.project_name) {
        // A stack's objects are named after it, as a compose project's are after the project.
        args.project.project_name = Some(stack.clone());
    }
    let options = StatusOptions { probe: !args.no_probe, store_uris: args.store_uri, stack: args.stack };
    let report = engine::runtime()?.block_on(async {
        let client = engine::connect(global).await?;
        let project = engine::load_project_or_labels(&mut args.project, &client).await?;
        anyhow::Ok(StatusReport::collect(&project, &client, &options).await?)
    })?;
    output::status(&report, args.format == FormatArg::Json)?;
    Ok(if report.has_problems() { Exit::Findings } else { Exit::Ok })
}
