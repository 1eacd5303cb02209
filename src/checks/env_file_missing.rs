//! `env-file-missing`: a service binds an env file that does not exist.

use super::{Check, CheckName, Context, Finding, Severity};

/// Required env files that are missing (compose refuses to start), and optional ones (info).
pub struct EnvFileMissing;

impl Check for EnvFileMissing {
    fn name(&self) -> CheckName {
        CheckName::EnvFileMissing
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A service's env_file does not exist. For a required file `docker compose up` fails; for an optional one \
         (`required: false`) the service starts without those variables. Create it from its .example template."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            // One that is there but cannot be read is env-syntax's finding, with the reason.
            for binding in service.env_files.iter().filter(|b| b.missing) {
                let (severity, what) =
                    if binding.required { (Severity::Error, "required") } else { (Severity::Info, "optional") };
                let mut finding = self
                    .finding(format!("{what} env file of service {} does not exist", service.name))
                    .at(&binding.path, None)
                    .service(&service.name);
                finding.severity = severity;
                findings.push(finding);
            }
        }
    }
}
