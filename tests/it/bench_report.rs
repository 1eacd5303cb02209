//! `check --format json` on a bench project (`bench/gen_check_project.py`, the generator of the speed benchmarks)
//! against the committed report `tests/fixtures/bench-report.jsonl`: making `check` faster must change no finding.
//!
//! The project is generated in the test (python3 and git are what the generator needs): a 200-commit history with
//! leaked secrets and 120 env files, two of them setting a key twice and one with a line compose cannot parse. What
//! depends on the run is blanked before comparing: the project's temporary directory in messages (and the id of such
//! a finding, made from its message), and the reasons of a `weak-secret` message (zxcvbn's hint is not
//! deterministic). Fingerprints use `tests/cmd/fingerprint.key`.
//! After a deliberate change of findings: `SECOPS_BLESS=1 cargo test --test it bench_report` rewrites the file.

use std::path::Path;
use std::process::Command;

use crate::support::{repo_root, secops, skip};

const COMMITS: &str = "200";
const SERVICES: &str = "120";

fn runs(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|o| o.status.success())
}

/// The generated project's report with the run-dependent parts blanked: one finding a line, then the summary.
fn normalized_report(dir: &Path, compose: &Path) -> String {
    let key = repo_root().join("tests/cmd/fingerprint.key");
    let out = secops(dir)
        .args(["check", "-f"])
        .arg(compose)
        .args(["--format", "json", "--fail-on", "never", "--fingerprint-key-file"])
        .arg(&key)
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("check runs");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let mut report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let dir = dir.display().to_string();
    let findings = report["findings"].as_array_mut().expect("findings");
    for finding in findings.iter_mut() {
        // `env-syntax` quotes the parser's message, which names the file by its absolute path; the finding's id
        // is made from the message, so both depend on where the project is.
        let message = finding["message"].as_str().unwrap_or_default();
        if message.contains(&dir) {
            finding["message"] = serde_json::Value::String(message.replace(&dir, "<project>"));
            finding["id"] = serde_json::Value::String("<depends on the directory>".into());
        }
        if finding["check"] == "weak-secret" {
            let message = finding["message"].as_str().unwrap_or_default();
            let verdict = message.split_once(": ").map_or(message, |(verdict, _)| verdict).to_string();
            finding["message"] = serde_json::Value::String(verdict);
        }
    }
    let mut lines: Vec<String> = findings.iter().map(|f| serde_json::to_string(f).expect("finding json")).collect();
    lines.push(serde_json::json!({ "summary": report["summary"] }).to_string());
    lines.join("\n") + "\n"
}

#[test]
fn findings_on_a_bench_project_are_the_committed_ones() {
    if !runs("python3") || !runs("git") {
        skip("needs python3 and git to generate the bench project");
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("repo");
    let generated = Command::new("python3")
        .arg(repo_root().join("bench/gen_check_project.py"))
        .args([COMMITS, dir.to_str().expect("utf-8 temp path"), "--services", SERVICES])
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("generator runs");
    assert!(generated.status.success(), "generator failed: {}", String::from_utf8_lossy(&generated.stderr));
    let compose = dir.join(format!("compose.bench-{SERVICES}.yaml"));
    let actual = normalized_report(&dir, &compose);

    let expected_path = repo_root().join("tests/fixtures/bench-report.jsonl");
    if std::env::var_os("SECOPS_BLESS").is_some() {
        std::fs::write(&expected_path, &actual).expect("write the expected report");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).expect("the committed report");
    let (want, got): (Vec<&str>, Vec<&str>) = (expected.lines().collect(), actual.lines().collect());
    let gone: Vec<&&str> = want.iter().filter(|l| !got.contains(l)).collect();
    let new: Vec<&&str> = got.iter().filter(|l| !want.contains(l)).collect();
    assert!(
        gone.is_empty() && new.is_empty() && want == got,
        "findings changed on the bench project\nno longer found:\n{gone:#?}\nnew:\n{new:#?}"
    );
    // The project is what the generator promises, so the comparison covers every kind of finding it can give.
    for check in ["secret-in-git-history", "env-duplicate-key", "env-syntax"] {
        assert!(actual.contains(&format!("\"check\":\"{check}\"")), "no {check} finding on the bench project");
    }
}
