//! `env-file-not-ignored`: a secret env file that `git add .` would commit.

use super::{Check, CheckName, Context, Finding, Severity};

/// Untracked secret env files that no ignore rule covers.
pub struct EnvFileNotIgnored;

impl Check for EnvFileNotIgnored {
    fn name(&self) -> CheckName {
        CheckName::EnvFileNotIgnored
    }
    fn severity(&self) -> Severity {
        Severity::Warning
    }
    fn help(&self) -> &'static str {
        "An env file with secrets is not tracked yet but no .gitignore rule covers it: the next `git add .` \
         commits it. Add it (or a pattern such as `.env.*` with `!*.example`) to .gitignore."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(git) = &cx.git else { return };
        for file in cx.env_files.iter().filter(|f| f.holds_secrets() && f.path.starts_with(git.workdir())) {
            let tracked = git.is_tracked(&file.path).unwrap_or(false);
            if !tracked && !git.is_ignored(&file.path).unwrap_or(true) {
                findings.push(
                    self.finding("env file with secrets is not git-ignored: `git add .` would commit it".to_string())
                        .at(&file.path, None),
                );
            }
        }
    }
}
