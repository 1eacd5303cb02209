//! `secret-inline`: a secret written as a literal in the compose file.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::project::Origin;
use crate::secret::fingerprint;

/// Literal secrets in `environment:` blocks: they end up in git with the compose file and cannot be rotated per
/// environment.
pub struct SecretInline;

impl Check for SecretInline {
    fn name(&self) -> CheckName {
        CheckName::SecretInline
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret-like key has a literal value in a compose `environment:` block. The compose file is committed, \
         so the secret is too. Move the value to an env file and reference it with env_file or ${VAR}."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for service in &cx.project.services {
            // Judging a service's keys compiles all its secret values: not worth it when none is inline.
            if !service.environment.iter().any(|v| matches!(v.origin, Origin::Inline { .. })) {
                continue;
            }
            for (var, secret) in service.environment.iter().zip(cx.rule.secret_flags(service)) {
                let Origin::Inline { file, line } = &var.origin else { continue };
                let Some(value) = var.value.as_deref().filter(|v| !v.is_empty()) else { continue };
                if secret {
                    findings.push(
                        self.finding(format!("{} has a literal secret value in the compose file", var.key))
                            .at(file, *line)
                            .service(&service.name)
                            .key(&var.key)
                            .fingerprint(fingerprint(value)),
                    );
                }
            }
        }
    }
}
