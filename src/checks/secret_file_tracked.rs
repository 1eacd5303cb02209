//! `secret-file-tracked`: a compose secret's file is tracked by git.

use super::{Check, CheckName, Context, Finding, Severity};

/// Secret files in the git index: every clone and every push carries the credential.
pub struct SecretFileTracked;

impl Check for SecretFileTracked {
    fn name(&self) -> CheckName {
        CheckName::SecretFileTracked
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "A compose secret's file is tracked by git, so every clone has the credential. Run `git rm --cached FILE`, \
         add it to .gitignore, and rotate the secret (`docker secops rotate NAME`): it is in the history."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(git) = &cx.git else { return };
        for info in &cx.secret_files {
            let Some(file) = info.file().filter(|f| git.is_tracked(f).unwrap_or(false)) else { continue };
            findings.push(
                self.finding(format!("secret {}: its file is tracked by git", info.secret.key))
                    .at(file, None)
                    .key(&info.secret.key),
            );
        }
    }
}
