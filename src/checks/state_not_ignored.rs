//! `state-not-ignored`: a backup, journal, archive or audit log of docker-secops that git tracks or would commit.

use std::path::{Path, PathBuf};

use super::{Check, CheckName, Context, Finding, Severity};
use crate::state_dir::StateDir;

/// Files of the state directories (the project's, and the ones older versions kept beside env files) that are in
/// the git index or that no ignore rule covers. A backup is a full copy of an env file; the journal of a rotation
/// under way holds the old and the new value.
pub struct StateNotIgnored;

impl Check for StateNotIgnored {
    fn name(&self) -> CheckName {
        CheckName::StateNotIgnored
    }
    fn severity(&self) -> Severity {
        Severity::Error
    }
    fn help(&self) -> &'static str {
        "docker-secops keeps env file backups, rotation journals and archives in .secops/, and they hold secrets. \
         A state directory needs a .gitignore of `*` (docker-secops writes one when it creates the directory; \
         older versions did not): `echo '*' > .secops/.gitignore`, then `git rm -r --cached .secops` for what is \
         tracked already, and rotate the secrets a committed backup holds."
    }
    fn run(&self, cx: &Context, findings: &mut Vec<Finding>) {
        let Some(git) = &cx.git else { return };
        let mut dirs: Vec<StateDir> = vec![StateDir::of_project(&cx.project.directory)];
        for beside in cx.env_files.iter().map(|f| StateDir::beside(&f.path)) {
            if !dirs.contains(&beside) {
                dirs.push(beside);
            }
        }
        for state in dirs.iter().filter(|d| d.path().starts_with(git.workdir())) {
            for (file, what) in state_files(state) {
                if git.is_tracked(&file).unwrap_or(false) {
                    findings.push(self.finding(format!("{what} is tracked by git")).at(&file, None));
                } else if !git.is_ignored(&file).unwrap_or(true) {
                    findings.push(
                        self.finding(format!("{what} is not git-ignored: `git add .` would commit it")).at(&file, None),
                    );
                }
            }
        }
    }
}

/// The files of `state` that hold secrets, with what each is.
fn state_files(state: &StateDir) -> Vec<(PathBuf, &'static str)> {
    let mut files = Vec::new();
    for (path, what) in
        [(state.journal(), "a rotation journal (old and new value)"), (state.audit_log(), "the audit log")]
    {
        if path.is_file() {
            files.push((path, what));
        }
    }
    for (dir, what) in [(state.backups(), "an env file backup"), (state.archive(), "an archived revoked value")] {
        files.extend(list(&dir).into_iter().map(|p| (p, what)));
    }
    files
}

fn list(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_file()).collect();
    files.sort();
    files
}
