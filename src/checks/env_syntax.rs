//! `env-syntax`: env-file lines compose cannot parse.

use super::{Check, CheckName, Context, Finding, Severity};

/// Lines that `docker compose` would reject.
pub struct EnvSyntax;

impl Check for EnvSyntax {
    fn name(&self) -> CheckName {
        CheckName::EnvSyntax
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "An env file line that compose cannot parse (an unterminated quote, an invalid key, text after a closing \
         quote). `docker compose up` fails on it. Fix the line; quote values that hold spaces or #."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for file in cx.env_files.iter().chain(cx.templates.iter().map(|(t, _)| t)) {
            for error in &file.syntax_errors {
                findings.push(self.finding(error.to_string()).at(&file.path, error.line()));
            }
            if let Some(reason) = &file.read_error {
                findings.push(self.finding(format!("cannot read the env file: {reason}")).at(&file.path, None));
            }
        }
    }
}
