//! `secret-dollar`: a secret with a `$` that compose will interpolate.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::secret::fingerprint;

/// Unquoted and double-quoted env values are interpolated by compose: `pa$sword` reaches the container as `pa`.
pub struct SecretDollar;

impl Check for SecretDollar {
    fn name(&self) -> CheckName {
        CheckName::SecretDollar
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret contains `$` in an unquoted or double-quoted env value. Compose interpolates it, so the \
         container silently gets another value than the file says. Single-quote the value, or rotate it to a \
         generated one (letters and digits only)."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        for file in &cx.env_files {
            for (entry, value) in file.secrets() {
                if entry.is_interpolated() && has_interpolation(value) {
                    findings.push(
                        self.finding(format!(
                            "{} contains `$` and is not single-quoted: compose will change it",
                            entry.key
                        ))
                        .at(&file.path, Some(entry.line))
                        .key(&entry.key)
                        .fingerprint(fingerprint(value)),
                    );
                }
            }
        }
    }
}

/// True when `value` has a `$` that is not part of a `$$` escape.
fn has_interpolation(value: &str) -> bool {
    let bytes = value.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'$' {
            if bytes.get(i + 1) == Some(&b'$') {
                i += 2;
                continue;
            }
            return true;
        }
        i += 1;
    }
    false
}

#[cfg(test)]
mod tests {
    #[test]
    fn escaped_dollars_are_fine() {
        assert!(super::has_interpolation("ab$cd"));
        assert!(super::has_interpolation("ab${X}"));
        assert!(super::has_interpolation("ab$"));
        assert!(!super::has_interpolation("ab$$cd"));
        assert!(!super::has_interpolation("abcd"));
    }
}
