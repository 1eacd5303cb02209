//! `env-file-permissions`: a secret env file readable by group or others.

use super::{Check, CheckName, Context, Finding, Severity};

/// Secret env files with any group/other permission bit.
pub struct EnvFilePermissions;

impl Check for EnvFilePermissions {
    fn name(&self) -> CheckName {
        CheckName::EnvFilePermissions
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "An env file that holds secrets can be read by other users of the machine. Run `chmod 600 FILE`; \
         docker-secops writes the files it edits 0600."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for file in cx.env_files.iter().filter(|f| f.holds_secrets()) {
            if let Some(mode) = file.mode.filter(|m| m & 0o077 != 0) {
                findings.push(
                    self.finding(format!("mode {:04o}: readable by group or others; run chmod 600", mode & 0o7777))
                        .at(&file.path, None),
                );
            }
        }
    }
}
