//! `secret-file-missing`: a compose `file:` secret that a service mounts does not exist.

use super::{Check, CheckName, Context, Finding, Severity};

/// `docker compose up` fails for every service that mounts a secret whose file is not there.
pub struct SecretFileMissing;

impl Check for SecretFileMissing {
    fn name(&self) -> CheckName {
        CheckName::SecretFileMissing
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A compose secret's `file:` does not exist, so the services mounting it cannot start. Create it with a \
         generated value (`docker secops generate --kind password > FILE`, mode 0600, git-ignored)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for info in cx.secret_files.iter().filter(|i| i.missing) {
            let path = info.file().map(|p| cx.relative(p)).unwrap_or_default();
            for service in &info.services {
                findings.push(
                    self.finding(format!(
                        "secret {} of service {service}: file {path} does not exist",
                        info.secret.key
                    ))
                    .at(&info.secret.declared_in, info.secret.line)
                    .service(service)
                    .key(&info.secret.key),
                );
            }
        }
    }
}
