//! `secret-in-git-history`: a secret in use today appears in a blob of some commit.

use std::collections::BTreeMap;

use super::{Check, CheckName, Context, Finding, Severity};

/// Shorter values are not searched: they would match by chance.
const MIN_NEEDLE_LEN: usize = 8;

/// Current secret values found anywhere in history (any ref): rewriting history does not un-leak them.
pub struct SecretInGitHistory;

impl Check for SecretInGitHistory {
    fn name(&self) -> CheckName {
        CheckName::SecretInGitHistory
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A secret that is in use now (an env file value or a compose secret file's content) appears in a file of some commit reachable from a branch, tag or stash. \
         Anyone with a clone has it. Rotate it (`docker secops rotate KEY`); purging history alone does not help."
    }
    fn runs_apart(&self) -> bool {
        true
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        if !cx.options.history {
            return;
        }
        let Some(git) = &cx.git else { return };
        // One needle per distinct value, remembering every place that value is used today.
        let mut places: BTreeMap<&str, Vec<(&std::path::Path, &str, usize)>> = BTreeMap::new();
        for file in &cx.env_files {
            for (entry, value) in file.secrets() {
                // Template filler (`changeme`) in history is no leak: weak-secret reports it where it is used.
                if value.len() >= MIN_NEEDLE_LEN && crate::secret::placeholder_word(value).is_none() {
                    places.entry(value).or_default().push((&file.path, &entry.key, entry.line));
                }
            }
        }
        // A compose secret file's content: a secret that was ever committed is leaked, file or not.
        for secret in &cx.secret_files {
            let Some((path, value)) = secret.content() else { continue };
            if value.len() >= MIN_NEEDLE_LEN && crate::secret::placeholder_word(value).is_none() {
                places.entry(value).or_default().push((path, &secret.secret.key, 1));
            }
        }
        let values: Vec<&str> = places.keys().copied().collect();
        let needles: Vec<&[u8]> = values.iter().map(|v| v.as_bytes()).collect();
        let scan = match git.scan_history_with_stats(&needles) {
            Ok(scan) => scan,
            Err(err) => {
                let mut f = self.finding(format!("git history could not be scanned: {err}"));
                f.severity = Severity::Info;
                findings.push(f);
                return;
            }
        };
        // One finding per secret, at the commit that first introduced it: later copies add nothing to do.
        for hit in scan.first_hit_per_needle() {
            let value = values[hit.needle];
            let short = &hit.commit[..hit.commit.len().min(12)];
            for (path, key, line) in &places[value] {
                findings.push(
                    self.finding(format!(
                        "the current value of {key} is in git history: commit {short}, file {}",
                        hit.path.display()
                    ))
                    .at(path, Some(*line))
                    .key(key)
                    .fingerprint(crate::secret::fingerprint(value)),
                );
            }
        }
    }
}
