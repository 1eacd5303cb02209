//! The audit behind `docker secops check`: one check per file behind the [`Check`] trait, a registry, and the
//! runner that selects checks, applies the baseline and sorts findings.

mod baseline;
mod check;
mod check_name;
mod context;
mod env_file_info;
mod env_name;
mod finding;
mod report;
mod secret_file_info;
mod secret_use;
mod severity;

mod data_not_persisted;
mod db_no_auth;
mod db_port_exposed;
mod env_duplicate_key;
mod env_file_missing;
mod env_file_not_ignored;
mod env_file_permissions;
mod env_file_tracked;
mod env_mismatch;
mod env_syntax;
mod example_drift;
mod example_has_secret;
mod redis_no_auth;
mod secret_age;
mod secret_dollar;
mod secret_env_unset;
mod secret_file_missing;
mod secret_file_not_ignored;
mod secret_file_permissions;
mod secret_file_tracked;
mod secret_in_command;
mod secret_in_git_history;
mod secret_inline;
mod secret_reused;
mod stack_secret_unversioned;
mod stack_unsupported;
mod state_not_ignored;
mod undefined_variable;
mod weak_secret;

pub use baseline::Baseline;
pub use check::Check;
pub use check_name::{CheckName, UnknownCheck};
pub use context::{CheckOptions, Context};
pub use env_file_info::EnvFileInfo;
pub use env_name::{canonical as canonical_env, env_of};
pub use finding::Finding;
pub use report::{Report, Summary};
pub use secret_file_info::SecretFileInfo;
pub use severity::Severity;

/// Every check, in the documented order.
pub fn registry() -> Vec<Box<dyn Check>> {
    vec![
        Box::new(env_file_missing::EnvFileMissing),
        Box::new(env_syntax::EnvSyntax),
        Box::new(env_duplicate_key::EnvDuplicateKey),
        Box::new(env_file_tracked::EnvFileTracked),
        Box::new(env_file_not_ignored::EnvFileNotIgnored),
        Box::new(secret_in_git_history::SecretInGitHistory),
        Box::new(secret_inline::SecretInline),
        Box::new(weak_secret::WeakSecret),
        Box::new(secret_reused::SecretReused),
        Box::new(secret_dollar::SecretDollar),
        Box::new(example_drift::ExampleDrift),
        Box::new(example_has_secret::ExampleHasSecret),
        Box::new(env_file_permissions::EnvFilePermissions),
        Box::new(env_mismatch::EnvMismatch),
        Box::new(data_not_persisted::DataNotPersisted),
        Box::new(db_port_exposed::DbPortExposed),
        Box::new(redis_no_auth::RedisNoAuth),
        Box::new(db_no_auth::DbNoAuth),
        Box::new(secret_in_command::SecretInCommand),
        Box::new(undefined_variable::UndefinedVariable),
        Box::new(secret_age::SecretAge),
        Box::new(state_not_ignored::StateNotIgnored),
        Box::new(secret_file_missing::SecretFileMissing),
        Box::new(secret_file_permissions::SecretFilePermissions),
        Box::new(secret_file_tracked::SecretFileTracked),
        Box::new(secret_file_not_ignored::SecretFileNotIgnored),
        Box::new(secret_env_unset::SecretEnvUnset),
        Box::new(stack_unsupported::StackUnsupported),
        Box::new(stack_secret_unversioned::StackSecretUnversioned),
    ]
}

/// Which checks run: all but `skip`, or only `only` when it is not empty; the Swarm checks only with `swarm` or
/// when `only` names them.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub only: Vec<CheckName>,
    pub skip: Vec<CheckName>,
    /// `--swarm`: judge the files as a Swarm stack too.
    pub swarm: bool,
    /// Findings to suppress (from a `--baseline` report).
    pub baseline: Baseline,
}

/// Runs the selected checks over `cx`.
pub fn run(cx: &Context, selection: &Selection) -> Report {
    let checks: Vec<Box<dyn Check>> = registry()
        .into_iter()
        .filter(|check| {
            let name = check.name();
            let asked = if selection.only.is_empty() {
                !check.swarm() || selection.swarm
            } else {
                selection.only.contains(&name)
            };
            asked && !selection.skip.contains(&name)
        })
        .collect();
    // Each check's findings apart, joined in registry order: the same list whichever thread ran which check.
    let mut per_check: Vec<Vec<Finding>> = checks.iter().map(|_| Vec::new()).collect();
    let (apart, here): (Vec<_>, Vec<_>) = checks.iter().zip(per_check.iter_mut()).partition(|(c, _)| c.runs_apart());
    std::thread::scope(|scope| {
        // The long ones start first, so that they overlap with all the others.
        let apart: Vec<_> = apart.into_iter().map(|(check, out)| scope.spawn(move || check.run(cx, out))).collect();
        for (check, out) in here {
            check.run(cx, out);
        }
        for handle in apart {
            if let Err(panic) = handle.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    let findings: Vec<Finding> = per_check.into_iter().flatten().collect();
    let base = cx.base_dir();
    // No key in use: no finding carries a fingerprint, and ids are places, comparable under any key.
    let key_id = crate::secret::key_in_use().map(|k| k.id());
    let mut findings: Vec<Finding> = findings
        .into_iter()
        .map(|f| f.finish(base))
        .filter(|f| !selection.baseline.suppresses(f, key_id.as_deref()))
        .collect();
    findings.sort_by(|a, b| (&a.file, a.line, a.check, &a.key).cmp(&(&b.file, b.line, b.check, &b.key)));
    findings.dedup_by(|a, b| a.id == b.id);
    let mut report = Report::new(findings);
    report.fingerprint_key = key_id;
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_every_name_once_with_help() {
        let names: Vec<CheckName> = registry().iter().map(|c| c.name()).collect();
        assert_eq!(names, CheckName::ALL);
        assert!(registry().iter().all(|c| c.help().len() > 40));
    }
}
