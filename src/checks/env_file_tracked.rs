//! `env-file-tracked`: an env file holding secrets is tracked by git.

use super::{Check, CheckName, Context, Finding, Severity};

/// Secret env files in the git index: every clone and every push carries the credentials.
pub struct EnvFileTracked;

impl Check for EnvFileTracked {
    fn name(&self) -> CheckName {
        CheckName::EnvFileTracked
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "An env file that holds secrets is tracked by git, so every clone has the credentials. Run \
         `git rm --cached FILE`, add it to .gitignore, commit a .example template instead, and rotate the secrets: \
         they are in the history."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(git) = &cx.git else { return };
        for file in cx.env_files.iter().filter(|f| f.holds_secrets()) {
            if git.is_tracked(&file.path).unwrap_or(false) {
                findings.push(self.finding("env file with secrets is tracked by git".to_string()).at(&file.path, None));
            }
        }
    }
}
