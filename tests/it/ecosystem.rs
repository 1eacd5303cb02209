//! The ecosystem files: the pre-commit hook definition, the man pages, `check --format github`.

use std::process::Command;

use crate::support::{repo_root, secops};

#[test]
fn pre_commit_hooks_file_is_yaml_with_the_documented_keys() {
    let text = std::fs::read_to_string(repo_root().join(".pre-commit-hooks.yaml")).expect("read");
    let hooks: Vec<serde_json::Value> = serde_saphyr::from_str(&text).expect("valid YAML: a list of hooks");
    assert_eq!(hooks.len(), 1);
    let hook = hooks[0].as_object().expect("a mapping");
    // pre-commit's required keys, and only keys its manifest schema knows.
    for key in ["id", "name", "entry", "language"] {
        assert!(hook.get(key).and_then(|v| v.as_str()).is_some_and(|v| !v.is_empty()), "{key}");
    }
    let known = [
        "id",
        "name",
        "entry",
        "language",
        "files",
        "exclude",
        "types",
        "types_or",
        "exclude_types",
        "always_run",
        "fail_fast",
        "verbose",
        "pass_filenames",
        "require_serial",
        "description",
        "language_version",
        "minimum_pre_commit_version",
        "args",
        "stages",
    ];
    for key in hook.keys() {
        assert!(known.contains(&key.as_str()), "unknown hook key {key}");
    }
    assert_eq!(hook["id"], "docker-secops-check");
    assert_eq!(hook["language"], "rust", "pre-commit builds the hook with cargo from this repository");
    assert_eq!(hook["pass_filenames"], false);
    let entry = hook["entry"].as_str().expect("entry");
    assert!(entry.starts_with("docker-secops check") && entry.contains("--no-history"), "{entry}");
    // The `files` pattern selects compose files, env files and templates, and nothing else.
    let pattern = hook["files"].as_str().expect("files");
    let matches = |path: &str| {
        // pre-commit uses Python's re.search; this pattern is plain enough for a hand check of its alternatives.
        let name = path.rsplit('/').next().unwrap_or(path);
        let compose = (name.starts_with("compose") || name.starts_with("docker-compose"))
            && (name.ends_with(".yml") || name.ends_with(".yaml"));
        compose || name.starts_with(".env") || name.ends_with(".env") || name.ends_with(".example")
    };
    assert!(pattern.contains("compose") && pattern.contains("\\.env") && pattern.contains("\\.example"));
    for staged in ["compose/docker-compose.yml", "envs/.env.local.example", "app.env", "compose.yaml"] {
        assert!(matches(staged), "{staged}");
    }
    assert!(!matches("src/main.rs"));
}

#[test]
fn man_pages_render_with_man() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = secops(&repo_root()).arg("man").arg(dir.path()).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let page = dir.path().join("docker-secops-init.1");
    let roff = std::fs::read_to_string(&page).expect("the init page");
    assert!(roff.lines().any(|l| l.starts_with(".TH docker-secops-init 1 ")), "roff title header");
    let Ok(rendered) = Command::new("man").arg("-l").arg(&page).env("MANPAGER", "cat").env("MANWIDTH", "100").output()
    else {
        eprintln!("skipped rendering: man is not installed (the roff header was checked)");
        return;
    };
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    let text = String::from_utf8_lossy(&rendered.stdout);
    for section in ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "--dry-run"] {
        assert!(text.contains(section), "{section} in the rendered page:\n{text}");
    }
}

#[test]
fn check_format_github_annotates_the_bundled_example() {
    let out = secops(&repo_root())
        .args(["check", "-f", "compose/docker-compose.yml", "--no-history", "--format", "github"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).expect("utf8");
    let annotations: Vec<&str> = text.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(annotations.len(), 3, "{text}");
    for line in annotations {
        assert!(
            line.starts_with(
                "::error file=envs/.env.local,title=docker-secops env-file-missing::required env file of service "
            ),
            "{line}"
        );
    }
}
