//! Completion: cobra's `__complete` protocol through the real docker CLI, and the clap_complete scripts.

use std::process::Command;

use crate::support::{copy_dir, docker_cli_available, plugin_config_dir, repo_root, secops};

/// `docker __complete secops ARGS...` run in `dir` with the plugin installed in a throw-away DOCKER_CONFIG.
fn docker_complete(config: &std::path::Path, dir: &std::path::Path, args: &[&str]) -> (Vec<String>, String) {
    let out = Command::new("docker")
        .env("DOCKER_CONFIG", config)
        .current_dir(dir)
        .arg("__complete")
        .arg("secops")
        .args(args)
        .output()
        .expect("docker runs");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let directive = lines.pop().expect("a directive line");
    (lines.iter().map(|l| l.split('\t').next().unwrap_or("").to_string()).collect(), directive)
}

#[test]
fn docker_completes_sub_commands_targets_services_checks_and_formats() {
    if !docker_cli_available() {
        eprintln!("skipped: the docker CLI is not installed");
        return;
    }
    let config = plugin_config_dir();
    let project = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo_root().join("compose"), project.path());
    let dir = project.path();

    let (values, directive) = docker_complete(config.path(), dir, &["rot"]);
    assert_eq!((values, directive.as_str()), (vec!["rotate".to_string()], ":4"));
    let (values, _) = docker_complete(config.path(), dir, &[""]);
    for sub in ["check", "init", "inventory", "rotate", "recreate", "status", "completion"] {
        assert!(values.iter().any(|v| v == sub), "{sub} in {values:?}");
    }
    let (values, directive) = docker_complete(config.path(), dir, &["rotate", ""]);
    assert_eq!(directive, ":4");
    for target in ["redis", "mongo", "jwt", "REDIS_PASSWORD", "MONGO_INITDB_ROOT_PASSWORD", "JWT_SECRET_KEY"] {
        assert!(values.iter().any(|v| v == target), "{target} in {values:?}");
    }
    let (values, _) = docker_complete(config.path(), dir, &["rotate", "RED"]);
    assert_eq!(values, ["REDIS_PASSWORD"]);
    let (values, _) = docker_complete(config.path(), dir, &["recreate", "api", ""]);
    assert_eq!(values, ["api", "mongo", "redis"]);
    let (values, _) = docker_complete(config.path(), dir, &["check", "--skip", "secret-a"]);
    assert_eq!(values, ["secret-age"]);
    let (values, _) = docker_complete(config.path(), dir, &["inventory", "--format", ""]);
    assert_eq!(values, ["human", "json", "mermaid", "dot"]);
    let (values, _) = docker_complete(config.path(), dir, &["check", "--format=g"]);
    assert_eq!(values, ["--format=github"]);
    let (values, _) = docker_complete(config.path(), dir, &["rotate", "--new"]);
    assert_eq!(values, ["--new-from-stdin"]);
    // A FILE is left to the shell's own file completion (directive 0), a DIR to directories (16).
    assert_eq!(docker_complete(config.path(), dir, &["check", "-f", ""]), (vec![], ":0".to_string()));
    assert_eq!(docker_complete(config.path(), dir, &["init", "--project-directory", ""]), (vec![], ":16".to_string()));
}

#[test]
fn completion_scripts_for_each_shell() {
    for (shell, marker) in
        [("bash", "-o default docker-secops"), ("zsh", "#compdef docker-secops"), ("fish", "complete -c docker-secops")]
    {
        let out = secops(&repo_root()).args(["completion", shell]).output().expect("runs");
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).expect("utf8");
        assert!(script.contains(marker), "{shell}: {marker} not in the script");
        assert!(script.contains("rotate") && script.contains("new-from-stdin"), "{shell}: sub-commands and flags");
    }
}
