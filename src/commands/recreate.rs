//! `docker secops recreate`: the runbook's "restart safely" (compose's `up -d --no-deps --force-recreate`, never
//! `restart`) for each service in dependency order, waiting until healthy and verifying the new containers.

use std::time::Duration;

use anyhow::{Context, Result};

use super::engine;
use crate::cli::{FormatArg, RecreateArgs};
use crate::docker::ComposeRunner;
use crate::exit::Exit;
use crate::live::{
    DeploymentRecreator, RecreatePlan, RejectedValue, ServiceRecreator, StackRecreator, StatusOptions, StatusReport,
    StoreRejects,
};
use crate::output::{self, RecreateReport};
use crate::plugin::GlobalFlags;

/// Recreates the selected services one by one; stops at the first that does not come up (exit 2), or after the
/// one in progress on SIGINT/SIGTERM (exit 130/143).
pub fn run(mut args: RecreateArgs, global: &GlobalFlags) -> Result<Exit> {
    if let (Some(stack), None) = (&args.stack, &args.project.project_name) {
        args.project.project_name = Some(stack.clone());
    }
    let json = args.format == FormatArg::Json;
    let mut stopped = None;
    let report = engine::runtime()?.block_on(async {
        let client = engine::connect(global).await?;
        // `-p NAME` from another directory: the containers' compose labels name the files.
        let project = engine::load_project_or_labels(&mut args.project, &client).await?;
        let plan = RecreatePlan::new(&project, &args.services, args.with_dependents)?;
        let flags = engine::compose_flags(&args.project);
        let mut report = RecreateReport::new(&project.name, json).aligned_to(&plan.services);
        // Values the old containers hold are secrets too: hide them in logs as well as the project's own.
        let running = client.project_containers(&project.name).await?;
        if !args.force {
            // The stores are asked first: a value they reject would take the recreated service down.
            let options = StatusOptions { probe: true, stack: args.stack.clone(), ..StatusOptions::default() };
            let status = StatusReport::collect(&project, &client, &options).await?;
            let rejected = RejectedValue::among(&status, &plan.services);
            if !rejected.is_empty() {
                return Err(StoreRejects(rejected).into());
            }
        }
        let redactor = engine::redactor(&project, &running);
        let compose = match args.stack {
            Some(_) => None,
            None => Some(ComposeRunner::detect(global, &flags).await?.with_redactor(redactor.clone())),
        };
        let timeout = Duration::from_secs(args.timeout);
        let progress = output::recreate_progress;
        // No compose runner exactly when the deployment is a stack.
        let recreator = match &compose {
            Some(compose) => DeploymentRecreator::Compose(ServiceRecreator {
                client: &client,
                compose,
                project: &project,
                timeout,
                redactor,
                progress,
            }),
            None => DeploymentRecreator::Stack(StackRecreator {
                client: &client,
                global,
                project: &project,
                reload: None,
                stack: args.stack.as_deref().unwrap_or_default(),
                timeout,
                progress,
                objects: Vec::new(),
            }),
        };
        // From here on a SIGINT/SIGTERM lets the service being recreated come up again, then stops.
        let interrupt = engine::listen(output::recreate_signal_notice)?;
        for (index, name) in plan.services.iter().enumerate() {
            if let Some(signal) = interrupt.requested() {
                report.not_attempted(&plan.services[index..]);
                output::stopped(&format!("{signal} received: {name} and the services after it were not recreated"));
                stopped = interrupt.exit_code();
                break;
            }
            let service = project.service(name).context("planned service vanished from the project")?;
            let outcome = recreator.recreate_one(service).await?;
            let ok = outcome.is_ok();
            report.service(outcome)?;
            if !ok {
                report.not_attempted(&plan.services[index + 1..]);
                break;
            }
        }
        anyhow::Ok(report)
    })?;
    report.finish()?;
    Ok(match stopped {
        _ if !report.all_ok() => Exit::Error,
        Some(code) => Exit::Signal(code),
        None => Exit::Ok,
    })
}
