//! `docker secops recreate`: the runbook's "restart safely" (down + up, never restart) for each service in
//! dependency order, waiting until healthy and verifying the new containers.

use std::time::Duration;

use anyhow::{Context, Result};

use super::engine;
use crate::cli::{FormatArg, RecreateArgs};
use crate::docker::ComposeRunner;
use crate::exit::Exit;
use crate::live::{RecreatePlan, ServiceRecreator};
use crate::output::RecreateReport;
use crate::plugin::GlobalFlags;

/// Recreates the selected services one by one; stops at the first that does not come up (exit 2).
pub fn run(args: RecreateArgs, global: &GlobalFlags) -> Result<Exit> {
    let project = engine::load_project(&args.project)?;
    let plan = RecreatePlan::new(&project, &args.services, args.with_dependents)?;
    let json = args.format == FormatArg::Json;
    let flags = engine::compose_flags(&args.project);
    let mut report = RecreateReport::new(&project.name, json);
    engine::runtime()?.block_on(async {
        let client = engine::connect(global).await?;
        // Values the old containers hold are secrets too: hide them in logs as well as the project's own.
        let running = client.project_containers(&project.name).await?;
        let redactor = engine::redactor(&project, &running);
        let compose = ComposeRunner::detect(global, &flags).await?.with_redactor(redactor.clone());
        let recreator = ServiceRecreator {
            client: &client,
            compose: &compose,
            project: &project,
            timeout: Duration::from_secs(args.timeout),
            redactor,
        };
        for (index, name) in plan.services.iter().enumerate() {
            let service = project.service(name).context("planned service vanished from the project")?;
            let outcome = recreator.recreate(service).await?;
            let ok = outcome.is_ok();
            report.service(outcome)?;
            if !ok {
                report.not_attempted(&plan.services[index + 1..]);
                break;
            }
        }
        anyhow::Ok(())
    })?;
    report.finish()?;
    Ok(if report.all_ok() { Exit::Ok } else { Exit::Error })
}
