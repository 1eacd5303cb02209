//! One state directory per project (`<project dir>/.secops/`, or beside the env file offline), git-ignored from
//! the moment it is created: a rotation's backups, journal and audit log never reach `git add .`.

use std::path::Path;
use std::process::Command;

use crate::support::secops;

const OLD_JWT: &str = "old-jwt-secret-value-6c1e9a0d3f7b2e58aa";

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git").args(args).current_dir(dir).output().expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A project with its compose file at the top and its env file in `envs/`, as the bundled example has it.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("compose.yaml"),
        "services:\n  api:\n    image: secops-test/app:1\n    env_file: envs/.env.prod\n",
    )
    .expect("compose");
    std::fs::create_dir(dir.path().join("envs")).expect("mkdir envs");
    std::fs::write(dir.path().join("envs/.env.prod"), format!("JWT_SECRET_KEY={OLD_JWT}\n")).expect("env");
    dir
}

#[test]
fn rotation_state_is_git_ignored_from_creation_so_git_add_stages_none_of_it() {
    let dir = project();
    git(dir.path(), &["init", "-q", "."]);
    // The env file is ignored by name, as in the issue: nothing covers its backups but the state directory's own
    // .gitignore.
    std::fs::write(dir.path().join(".gitignore"), "envs/.env.prod\n").expect(".gitignore");
    let out = secops(dir.path()).args(["rotate", "jwt", "--no-recreate", "--yes"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join(".secops/backups").is_dir() && dir.path().join(".secops/audit.jsonl").is_file());
    git(dir.path(), &["add", "."]);
    let staged = git(dir.path(), &["diff", "--cached", "--name-only"]);
    assert_eq!(staged.lines().collect::<Vec<_>>(), [".gitignore", "compose.yaml"], "staged: {staged}");
    let check = secops(dir.path()).args(["check", "--only", "state-not-ignored"]).output().expect("runs");
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
}

#[test]
fn check_reports_a_backup_that_git_would_commit() {
    let dir = project();
    git(dir.path(), &["init", "-q", "."]);
    std::fs::write(dir.path().join(".gitignore"), "envs/.env.prod\n").expect(".gitignore");
    // What an older version left: backups beside the env file, in a .secops/ with no .gitignore.
    std::fs::create_dir_all(dir.path().join("envs/.secops/backups")).expect("mkdir");
    std::fs::copy(
        dir.path().join("envs/.env.prod"),
        dir.path().join("envs/.secops/backups/.env.prod.20260101T000000Z"),
    )
    .expect("backup");
    let out =
        secops(dir.path()).args(["check", "--only", "state-not-ignored", "--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let finding = &report["findings"][0];
    assert_eq!(finding["check"], "state-not-ignored");
    assert_eq!(finding["file"], "envs/.secops/backups/.env.prod.20260101T000000Z");
    assert!(finding["message"].as_str().is_some_and(|m| m.contains("git add .")), "{finding}");
}

#[test]
fn a_project_keeps_journal_lock_backups_and_audit_log_in_one_state_directory() {
    let dir = project();
    let plan = secops(dir.path()).args(["rotate", "jwt", "--dry-run"]).output().expect("runs");
    let text = String::from_utf8_lossy(&plan.stdout);
    assert!(text.contains("state:") && text.contains(".secops/ (journal, lock, backups, audit log)"), "{text}");
    let out = secops(dir.path()).args(["rotate", "jwt", "--no-recreate", "--yes"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("backups and audit log in"), "the summary names the state directory: {stdout}");
    assert!(!dir.path().join("envs/.secops").exists(), "nothing beside the env file");
    let state = dir.path().join(".secops");
    assert_eq!(std::fs::read_dir(state.join("backups")).expect("backups").count(), 1);
    let audit = std::fs::read_to_string(state.join("audit.jsonl")).expect("audit log");
    assert!(audit.contains("\"file\":\"envs/.env.prod\""), "relative, so a moved project keeps it: {audit}");
    assert!(std::fs::read_to_string(state.join(".gitignore")).expect(".gitignore").lines().any(|l| l == "*"));
}
