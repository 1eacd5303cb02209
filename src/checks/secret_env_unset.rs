//! `secret-env-unset`: an `environment:` compose secret whose variable has no value.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::SecretSource;

/// compose refuses to start a service mounting an `environment:` secret whose variable is unset.
pub struct SecretEnvUnset;

impl Check for SecretEnvUnset {
    fn name(&self) -> CheckName {
        CheckName::SecretEnvUnset
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "An `environment:` compose secret names a variable that no source sets, so `docker compose up` fails. The \
         variable comes from the interpolation environment (the shell, `.env` or `--env-file`), not from a \
         service's env_file: define it there."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for info in &cx.secret_files {
            let SecretSource::Environment { variable, value: None, .. } = &info.secret.source else { continue };
            findings.push(
                self.finding(format!(
                    "secret {}: variable {variable} is not set (compose fails to start {})",
                    info.secret.key,
                    info.services.join(", ")
                ))
                .at(&info.secret.declared_in, info.secret.line)
                .key(&info.secret.key),
            );
        }
    }
}
