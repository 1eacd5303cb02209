//! `undefined-variable`: `${VAR}` with no value from any source and no default.

use super::{Check, CheckName, Context, Finding, Severity};

/// Variables that interpolate to the empty string: the container silently gets `""`.
pub struct UndefinedVariable;

impl Check for UndefinedVariable {
    fn name(&self) -> CheckName {
        CheckName::UndefinedVariable
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A compose file uses ${VAR} but no source defines VAR (shell, --env-file, .env) and no default is given, \
         so it becomes an empty string: an empty password, or a wrong command line. A secret variable is a warning, \
         any other an info (an empty setting is often the default wanted). Define it, or write ${VAR:?message} so \
         compose refuses to start without it (${VAR:-} says empty is fine)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for undefined in &cx.project.undefined_variables {
            let mut finding = self
                .finding(format!("${{{}}} is not set and has no default: it becomes an empty string", undefined.name))
                .at(&undefined.file, undefined.line)
                .key(&undefined.name);
            // An empty secret is a hole; an empty setting (`TZ`, `ADDITIONAL_SAN`) is usually the default wanted.
            if !cx.rule.is_secret_name(&undefined.name) {
                finding.severity = Severity::Info;
            }
            findings.push(finding);
        }
    }
}
