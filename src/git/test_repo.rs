//! Test helper: a throw-away repository driven by the `git` CLI, so the tests check gix against real git.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use tempfile::TempDir;

/// A repository in a temporary directory, deleted on drop. The `git` commands run with no global or system
/// config, a fixed identity and no signing, so the developer's own setup cannot change what the tests see.
pub(crate) struct TestRepo {
    dir: TempDir,
}

impl TestRepo {
    /// `git init` with `main` as the initial branch.
    pub(crate) fn new() -> Self {
        let repo = TestRepo { dir: tempfile::tempdir().expect("temp dir") };
        repo.git(&["init", "-q", "-b", "main"]);
        repo
    }

    /// The working tree.
    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `content` to `rel` (creating parent directories).
    pub(crate) fn write(&self, rel: &str, content: &str) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, content).expect("write");
        path
    }

    /// Runs git with `args` in the working tree and returns its trimmed stdout; panics when git fails.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("run git");
        assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
    }

    /// Runs git with `args`, `input` on its stdin, and returns its trimmed stdout; panics when git fails.
    pub(crate) fn git_stdin(&self, args: &[&str], input: &str) -> String {
        let mut child = self.command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("run git");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        let out = child.wait_with_output().expect("wait git");
        assert!(out.status.success(), "git {args:?} failed");
        String::from_utf8(out.stdout).expect("utf-8").trim().to_owned()
    }

    /// Runs git with `args` and tells whether it exited with 0 (for predicates like `check-ignore -q`).
    pub(crate) fn git_succeeds(&self, args: &[&str]) -> bool {
        self.command(args).output().expect("run git").status.success()
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com");
        command
    }

    /// Writes the files, stages everything (`git add -A`) and commits; returns the new commit's id.
    pub(crate) fn commit(&self, files: &[(&str, &str)], message: &str) -> String {
        for (rel, content) in files {
            self.write(rel, content);
        }
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }
}
