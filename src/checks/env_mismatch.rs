//! `env-mismatch`: a service of one environment's stack binds another environment's env file.

use std::collections::BTreeMap;

use super::env_name::{canonical, env_of};
use super::{Check, CheckName, Context, Finding, Severity};

/// The runbook's "legacy env_file entries": a prod stack reading `.env.local`.
///
/// The stack's environment is `--env`, else the one named by the interpolation env files, else the one most
/// bindings name. Bindings whose file names another environment are reported.
pub struct EnvMismatch;

impl Check for EnvMismatch {
    fn name(&self) -> CheckName {
        CheckName::EnvMismatch
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A service binds an env file named for another environment than the stack's (a prod deployment reading \
         envs/.env.local): the runbook's legacy env_file entries. Point env_file at the right environment's file."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let bindings: Vec<(&str, &std::path::Path, &'static str)> = cx
            .project
            .services
            .iter()
            .flat_map(|s| {
                s.env_files.iter().filter_map(move |b| env_of(&b.path).map(|e| (s.name.as_str(), b.path.as_path(), e)))
            })
            .collect();
        let target = cx
            .options
            .env
            .as_deref()
            .map(|e| canonical(e).unwrap_or("unknown"))
            .or_else(|| cx.project.interpolation_files.iter().find_map(|p| env_of(p)))
            .or_else(|| majority(bindings.iter().map(|b| b.2)));
        let Some(target) = target else { return };
        for (service, path, env) in bindings.into_iter().filter(|b| b.2 != target) {
            findings.push(
                self.finding(format!("service {service} of the {target} stack binds an env file for {env}"))
                    .at(path, None)
                    .service(service),
            );
        }
    }
}

/// The most common environment; `None` on a tie (no basis to call either side wrong).
fn majority<'a>(envs: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for env in envs {
        *counts.entry(env).or_default() += 1;
    }
    let max = *counts.values().max()?;
    let top: Vec<&str> = counts.iter().filter(|(_, c)| **c == max).map(|(e, _)| *e).collect();
    (top.len() == 1).then(|| top[0])
}
