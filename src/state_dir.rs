//! The one directory per project where docker-secops keeps its state: `<project dir>/.secops/`, holding the
//! rotation journal and lock, the audit log, env file backups and the archive of revoked values.
//!
//! Offline (`rotate KEY --env-file F`, no compose project) the env file's directory stands in for the project
//! directory: the state goes to `<dir of F>/.secops/`. The directory is created 0700 with a `.gitignore` of `*`,
//! because everything in it is a secret or derived from one: `git add .` must never stage a backup or a journal.

use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

/// The state directory's name inside a project directory.
pub const STATE_DIR_NAME: &str = ".secops";

/// What the `.gitignore` of a state directory holds: everything in it (itself included) is ignored.
pub const GITIGNORE: &str = "# Created by docker-secops: rotation journals, backups and archives hold secrets.\n*\n";

/// The state directory of one project. Cheap to build; nothing is created until [`StateDir::create`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StateDir {
    path: PathBuf,
}

impl StateDir {
    /// `<project_dir>/.secops`.
    pub fn of_project(project_dir: &Path) -> StateDir {
        StateDir { path: project_dir.join(STATE_DIR_NAME) }
    }

    /// The offline form's state directory: `.secops` beside `env_file`.
    pub fn beside(env_file: &Path) -> StateDir {
        match env_file.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => StateDir::of_project(parent),
            _ => StateDir::of_project(Path::new(".")),
        }
    }

    /// The state directory at `path` itself (as a rotation plan records it).
    pub fn at(path: &Path) -> StateDir {
        StateDir { path: path.to_path_buf() }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The project directory it belongs to: paths in the audit log are relative to it, so a moved project keeps
    /// its history.
    pub fn project_dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The rotation journal.
    pub fn journal(&self) -> PathBuf {
        self.path.join("rotation.journal.json")
    }

    /// The rotation lock.
    pub fn lock(&self) -> PathBuf {
        self.path.join("rotation.lock")
    }

    /// The audit log.
    pub fn audit_log(&self) -> PathBuf {
        self.path.join("audit.jsonl")
    }

    /// Where env files are backed up before a rotation edits them.
    pub fn backups(&self) -> PathBuf {
        self.path.join("backups")
    }

    /// Where revoked values are archived, encrypted.
    pub fn archive(&self) -> PathBuf {
        self.path.join("archive")
    }

    /// Any other file kept here (`fingerprint.key`, ...).
    pub fn file(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Creates the directory (0700) with its `.gitignore` when either is missing, and returns it. A state
    /// directory made by an older version gets its `.gitignore` here too, the first time it is written to.
    pub fn create(&self) -> std::io::Result<&Path> {
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&self.path)?;
        let ignore = self.path.join(".gitignore");
        match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o644).open(&ignore) {
            Ok(mut file) => file.write_all(GITIGNORE.as_bytes())?,
            Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(err) => return Err(err),
        }
        Ok(&self.path)
    }

    /// Creates `sub` inside the state directory (0700), the state directory first.
    pub fn create_sub(&self, sub: &Path) -> std::io::Result<()> {
        self.create()?;
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(sub)
    }

    /// How the audit log names `file`: relative to the project directory when inside it, else as given.
    pub fn identity(&self, file: &Path) -> String {
        match file.strip_prefix(self.project_dir()) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.display().to_string(),
            _ => file.display().to_string(),
        }
    }

    /// The file an audit log entry names, back as a path: relative names are relative to the project directory.
    pub fn resolve(&self, identity: &str) -> PathBuf {
        let path = Path::new(identity);
        if path.is_absolute() { path.to_path_buf() } else { self.project_dir().join(path) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn state_dir_is_git_ignored_from_creation() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = StateDir::of_project(dir.path());
        state.create().expect("create");
        let mode = std::fs::metadata(state.path()).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o700);
        let ignore = std::fs::read_to_string(state.path().join(".gitignore")).expect(".gitignore");
        assert!(ignore.lines().any(|l| l == "*"), "{ignore}");
        // A hand-edited .gitignore is kept.
        std::fs::write(state.path().join(".gitignore"), "*\n!keep\n").expect("edit");
        state.create().expect("again");
        assert_eq!(std::fs::read_to_string(state.path().join(".gitignore")).expect("read"), "*\n!keep\n");
    }

    #[test]
    fn every_kind_of_state_lives_in_the_one_directory() {
        let state = StateDir::of_project(Path::new("/srv/shop"));
        for path in [state.journal(), state.lock(), state.audit_log(), state.backups(), state.archive()] {
            assert_eq!(path.parent(), Some(Path::new("/srv/shop/.secops")), "{}", path.display());
        }
        assert_eq!(StateDir::beside(Path::new("/srv/shop/envs/.env.prod")).path(), Path::new("/srv/shop/envs/.secops"));
        assert_eq!(StateDir::beside(Path::new(".env")).path(), Path::new("./.secops"));
    }

    #[test]
    fn audit_identity_is_relative_so_a_moved_project_keeps_its_history() {
        let old = StateDir::of_project(Path::new("/srv/shop"));
        let id = old.identity(Path::new("/srv/shop/envs/.env.prod"));
        assert_eq!(id, "envs/.env.prod");
        let moved = StateDir::of_project(Path::new("/opt/shop"));
        assert_eq!(moved.resolve(&id), Path::new("/opt/shop/envs/.env.prod"));
        // Outside the project: kept absolute.
        assert_eq!(old.identity(Path::new("/etc/shared.env")), "/etc/shared.env");
        assert_eq!(old.resolve("/etc/shared.env"), Path::new("/etc/shared.env"));
    }
}
