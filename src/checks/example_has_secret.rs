//! `example-has-secret`: a template holds a real-looking secret.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::secret::{Strength, Weakness, fingerprint};

/// Templates are committed: a real value there is a leaked value.
pub struct ExampleHasSecret;

impl Check for ExampleHasSecret {
    fn name(&self) -> CheckName {
        CheckName::ExampleHasSecret
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A .example template, which is committed, holds what looks like a real secret (long, high-entropy, no \
         placeholder word) instead of a placeholder such as `changeme`. Replace it with a placeholder and rotate \
         the value if it was ever used."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for (template, _) in &cx.templates {
            for (entry, value) in template.secrets() {
                let strength = Strength::estimate(value, &entry.key, None);
                let looks_real = !strength.weaknesses.iter().any(|w| {
                    matches!(w, Weakness::Placeholder { .. } | Weakness::TooShort { .. } | Weakness::LowEntropy { .. })
                });
                if looks_real {
                    findings.push(
                        self.finding(format!(
                            "{} in the template looks like a real secret, not a placeholder",
                            entry.key
                        ))
                        .at(&template.path, Some(entry.line))
                        .key(&entry.key)
                        .fingerprint(fingerprint(value)),
                    );
                }
            }
        }
    }
}
