//! `docker secops init` on the bundled example: the day-one path `check` (3 errors) -> `init` -> `check` (clean).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use docker_secops::envfile::EnvDocument;
use docker_secops::secret::Strength;

use crate::support::{copy_dir, repo_root, secops};

/// A fresh copy of the bundled example (`compose/` and `envs/` as committed: templates only).
fn example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo_root().join("compose"), &dir.path().join("compose"));
    std::fs::create_dir_all(dir.path().join("envs")).expect("mkdir");
    for template in [".env.local.example", ".env.prod.example"] {
        std::fs::copy(repo_root().join("envs").join(template), dir.path().join("envs").join(template)).expect("copy");
    }
    dir
}

fn run(dir: &Path, args: &[&str]) -> std::process::Output {
    secops(dir).args(args).env("NO_COLOR", "1").output().expect("runs")
}

#[test]
fn init_on_the_bundled_example_makes_check_clean() {
    let dir = example();
    let compose = ["-f", "compose/docker-compose.yml"];
    let check = [&["check", "--no-history"][..], &compose[..]].concat();
    let before = run(dir.path(), &check);
    assert_eq!(before.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&before.stdout).contains("3 errors, 0 warnings in 1 file"));

    let dry = run(dir.path(), &[&["init", "--dry-run"][..], &compose[..]].concat());
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    assert!(String::from_utf8_lossy(&dry.stdout).contains("would create envs/.env.local (0600)"));
    let env = dir.path().join("envs/.env.local");
    assert!(!env.exists(), "--dry-run writes nothing");

    let init = run(dir.path(), &[&["init"][..], &compose[..]].concat());
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let printed = String::from_utf8_lossy(&init.stdout).to_string() + &String::from_utf8_lossy(&init.stderr);

    let template = EnvDocument::read(&dir.path().join("envs/.env.local.example")).expect("template");
    let created = EnvDocument::read(&env).expect("the created file parses");
    let keys = |d: &EnvDocument| d.entries().iter().map(|e| e.key.clone()).collect::<Vec<_>>();
    assert_eq!(keys(&created), keys(&template), "every template key, in order");
    let text = std::fs::read_to_string(&env).expect("read");
    let template_text = std::fs::read_to_string(dir.path().join("envs/.env.local.example")).expect("read");
    for comment in template_text.lines().filter(|l| l.starts_with('#')) {
        assert!(text.lines().any(|l| l == comment), "comment kept: {comment}");
    }
    let secrets = ["MONGO_INITDB_ROOT_PASSWORD", "REDIS_PASSWORD", "JWT_SECRET_KEY"];
    let value = |k: &str| created.get(k).and_then(|e| e.value.clone()).expect("value");
    let values: Vec<String> = secrets.iter().map(|k| value(k)).collect();
    for (key, v) in secrets.iter().zip(&values) {
        assert!(Strength::estimate(v, key, Some("admin")).is_strong(), "{key} is strong");
        assert!(!printed.contains(v.as_str()), "{key}'s value is never printed");
        assert!(
            printed.contains(&crate::support::project_fingerprint(&dir.path().join("compose"), v)),
            "{key} is shown by fingerprint"
        );
    }
    assert_eq!(value("JWT_SECRET_KEY").len(), 64);
    assert!(values[0] != values[1] && values[1] != values[2] && values[0] != values[2], "distinct");
    assert_eq!(value("MONGO_INITDB_ROOT_USERNAME"), "admin", "non-secret keys keep the template's value");
    assert_eq!(value("MONGODB_URL"), template.get("MONGODB_URL").and_then(|e| e.value.clone()).expect("url"));
    assert_eq!(std::fs::metadata(&env).expect("meta").permissions().mode() & 0o777, 0o600);

    let audit = std::fs::read_to_string(dir.path().join("compose/.secops/audit.jsonl")).expect("audit log");
    let entries: Vec<serde_json::Value> = audit.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(entries.len(), 3);
    for (entry, (key, v)) in entries.iter().zip(secrets.iter().zip(&values)) {
        assert_eq!((entry["key"].as_str(), entry["result"].as_str()), (Some(*key), Some("initialised")));
        assert_eq!(entry["new_fingerprint"], crate::support::project_fingerprint(&dir.path().join("compose"), v));
        assert!(!audit.contains(v.as_str()));
    }

    // secret-age knows the age from the init entries: no "unknown age" info either.
    let after = run(dir.path(), &check);
    let out = String::from_utf8_lossy(&after.stdout);
    assert_eq!(after.status.code(), Some(0), "{out}");
    assert_eq!(out, "0 errors, 0 warnings in 0 files\n");

    let again = run(dir.path(), &[&["init"][..], &compose[..]].concat());
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains(&env.display().to_string()) && err.contains("never overwrites"), "{err}");
    assert_eq!(std::fs::read_to_string(&env).expect("read"), text, "the second run changed nothing");
}

#[test]
fn init_env_creates_the_selected_environment_only_and_refuses_an_existing_one() {
    let dir = example();
    let out = run(dir.path(), &["init", "-f", "compose/docker-compose.yml", "--env", "production"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.path().join("envs/.env.prod").exists());
    assert!(!dir.path().join("envs/.env.local").exists());
    let again = run(dir.path(), &["init", "-f", "compose/docker-compose.yml", "--env", "prod"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("envs/.env.prod already exists"));
    let none = run(dir.path(), &["init", "-f", "compose/docker-compose.yml", "--env", "staging"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no .example template for environment \"staging\""));
}

#[test]
fn init_git_ignores_the_new_file_when_git_add_would_commit_it() {
    let dir = example();
    let git = |args: &[&str]| {
        let ok = Command::new("git").args(args).current_dir(dir.path()).output().is_ok_and(|o| o.status.success());
        assert!(ok, "git {args:?}");
    };
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("skipped: git is not installed");
        return;
    }
    git(&["init", "-q"]);
    std::fs::write(dir.path().join(".gitignore"), "target/\n").expect("write");
    let out = run(dir.path(), &["init", "-f", "compose/docker-compose.yml"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("added /envs/.env.local to .gitignore"));
    let ignore = std::fs::read_to_string(dir.path().join(".gitignore")).expect("read");
    assert!(ignore.starts_with("target/\n") && ignore.ends_with("\n/envs/.env.local\n"), "{ignore}");
    let check = run(dir.path(), &["check", "-f", "compose/docker-compose.yml", "--only", "env-file-not-ignored"]);
    assert_eq!(check.status.code(), Some(0), "{}", String::from_utf8_lossy(&check.stdout));
    assert_eq!(String::from_utf8_lossy(&check.stdout), "0 errors, 0 warnings in 0 files\n");
}
