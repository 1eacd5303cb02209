//! `secret-age`: a secret not rotated within the policy's period.

use super::{Check, CheckName, Context, Finding, Severity};
use crate::secret::fingerprint;

/// Secrets whose last recorded rotation (audit log) is older than `--max-age` days; unknown age is info.
pub struct SecretAge;

impl Check for SecretAge {
    fn name(&self) -> CheckName {
        CheckName::SecretAge
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A secret was last rotated longer ago than the policy allows (90 days by default), according to the audit \
         log that `docker secops rotate` writes. When no rotation is recorded its age is unknown (info). \
         Rotate it: `docker secops rotate KEY`."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let max_days = i64::from(cx.options.max_age_days);
        let last_rotations = cx.audit.last_rotations();
        for file in &cx.env_files {
            let path = file.path.display().to_string();
            for (entry, value) in file.secrets() {
                let finding = match last_rotations.get(&(path.as_str(), entry.key.as_str())) {
                    Some(&at) => {
                        let days = (cx.options.now - at).whole_days();
                        if days <= max_days {
                            continue;
                        }
                        self.finding(format!("{} was last rotated {days} days ago (policy: {max_days})", entry.key))
                    }
                    None => {
                        let mut f = self.finding(format!("{} has no recorded rotation: its age is unknown", entry.key));
                        f.severity = Severity::Info;
                        f
                    }
                };
                findings.push(finding.at(&file.path, Some(entry.line)).key(&entry.key).fingerprint(fingerprint(value)));
            }
        }
    }
}
