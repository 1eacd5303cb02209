//! `secret-file-not-ignored`: a compose secret's file is not tracked yet, but no .gitignore rule covers it.

use super::{Check, CheckName, Context, Finding, Severity};

/// Untracked secret files inside the work tree that `git add .` would commit.
pub struct SecretFileNotIgnored;

impl Check for SecretFileNotIgnored {
    fn name(&self) -> CheckName {
        CheckName::SecretFileNotIgnored
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "A compose secret's file is not tracked yet but no .gitignore rule covers it: the next `git add .` \
         commits it. Add it (or its directory, e.g. `secrets/`) to .gitignore."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(git) = &cx.git else { return };
        for info in &cx.secret_files {
            let Some(file) = info.file().filter(|f| f.starts_with(git.workdir()) && f.is_file()) else { continue };
            if !git.is_tracked(file).unwrap_or(false) && !git.is_ignored(file).unwrap_or(true) {
                findings.push(
                    self.finding(format!(
                        "secret {}: its file is not git-ignored: `git add .` would commit it",
                        info.secret.key
                    ))
                    .at(file, None)
                    .key(&info.secret.key),
                );
            }
        }
    }
}
