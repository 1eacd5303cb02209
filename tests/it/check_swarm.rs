//! `docker secops check --swarm`: the checks that judge the files as a Swarm stack run only when asked, name file
//! and line, and their advice is what `docker stack config` (the real docker CLI) makes of it.

use std::path::Path;
use std::process::Command;

use crate::check::fixture;
use crate::support::{docker_cli_available, secops, skip};

/// The findings of `check --format json` with `args` on the project `dir`.
fn findings(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let out = secops(dir)
        .args(["check", "--format", "json", "--fail-on", "never", "--no-history"])
        .args(args)
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "stderr {}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    report["findings"].as_array().expect("findings").clone()
}

fn of<'a>(findings: &'a [serde_json::Value], check: &str) -> Vec<&'a serde_json::Value> {
    findings.iter().filter(|f| f["check"] == check).collect()
}

#[test]
fn swarm_checks_run_only_with_swarm_or_when_named() {
    let (_tmp, dir) = fixture("stack-unsupported", "bad");
    let plain = findings(&dir, &[]);
    assert!(of(&plain, "stack-unsupported").is_empty(), "without --swarm: {plain:#?}");
    let swarm = findings(&dir, &["--swarm"]);
    assert_eq!(of(&swarm, "stack-unsupported").len(), 3, "{swarm:#?}");
    // The other checks still run beside them.
    assert_eq!(
        swarm.iter().filter(|f| f["check"] != "stack-unsupported").count(),
        plain.len(),
        "--swarm adds findings, it removes none"
    );
    assert!(of(&findings(&dir, &["--swarm", "--skip", "stack-unsupported"]), "stack-unsupported").is_empty());
    assert_eq!(of(&findings(&dir, &["--only", "stack-unsupported"]), "stack-unsupported").len(), 3);
}

#[test]
fn stack_unsupported_names_each_feature_with_file_and_line() {
    let (_tmp, dir) = fixture("stack-unsupported", "bad");
    let found = findings(&dir, &["--only", "stack-unsupported"]);
    let place = |f: &&serde_json::Value| (f["file"].as_str().unwrap_or_default().to_string(), f["line"].as_u64());
    let mut places: Vec<(String, Option<u64>)> = found.iter().map(|f| place(&f)).collect();
    places.sort();
    assert_eq!(
        places,
        [("app.env".into(), Some(1)), ("compose.yaml".into(), Some(5)), ("compose.yaml".into(), Some(10))],
        "{found:#?}"
    );
    let message = |file: &str| {
        found.iter().find(|f| f["file"] == file).and_then(|f| f["message"].as_str()).unwrap_or_default().to_string()
    };
    assert!(message("app.env").contains("DB_PASSWORD") && message("app.env").contains("quotes are kept"));
    assert!(found.iter().all(|f| f["severity"] == "error"));
    assert!(
        found
            .iter()
            .any(|f| f["key"] == "api_token" && f["message"].as_str().is_some_and(|m| m.contains("environment")))
    );
    let text = serde_json::to_string(&found).expect("json");
    assert!(!text.contains("Tz4Kq9Vm2Xb7Lp3Nw8Rc5Hj1Fd6Gs0Ya"), "a secret value in a finding");
}

#[test]
fn a_clean_stack_file_has_no_findings() {
    let (_tmp, dir) = fixture("stack-secret-unversioned", "good");
    let found = findings(&dir, &["--swarm"]);
    // Without an audit log every secret's age is unknown: info only, nothing else.
    let other: Vec<_> = found.iter().filter(|f| f["check"] != "secret-age" || f["severity"] != "info").collect();
    assert!(other.is_empty(), "{other:#?}");
    let status =
        secops(&dir).args(["check", "--swarm", "--no-history", "--fail-on", "warning"]).output().expect("runs");
    assert_eq!(status.status.code(), Some(0));
}

#[test]
fn an_unversioned_secret_is_a_warning_with_a_name_docker_accepts() {
    let (_tmp, dir) = fixture("stack-secret-unversioned", "bad");
    let found = findings(&dir, &["--swarm", "--only", "stack-secret-unversioned"]);
    let keys: Vec<&str> = found.iter().filter_map(|f| f["key"].as_str()).collect();
    assert_eq!(keys, ["db_password", "api_token"], "{found:#?}");
    for f in &found {
        let message = f["message"].as_str().unwrap_or_default();
        assert_eq!(f["severity"], "warning");
        assert!(
            message.contains("only updates to Labels are allowed")
                && message.contains(&format!("docker secops rotate {} --stack NAME", f["key"].as_str().unwrap_or("?"))),
            "{message}"
        );
    }
    let db = found[0]["message"].as_str().unwrap_or_default();
    let suggested = "name: project_db_password_${DB_PASSWORD_VERSION:-1}";
    assert!(db.contains(suggested) && db.contains("no `name:`"), "{db}");
    assert!(found[1]["message"].as_str().is_some_and(|m| m.contains("`name: shop_api_token_v2`")));
    assert_eq!((found[0]["file"].as_str(), found[0]["line"].as_u64()), (Some("compose.yaml"), Some(10)));

    // Taking the advice: docker's own loader gives the object the versioned name, and the warning is gone.
    let compose = dir.join("compose.yaml");
    let text = std::fs::read_to_string(&compose).expect("read");
    let fixed = text
        .replace("file: ./secrets/db_password.txt\n", &format!("file: ./secrets/db_password.txt\n    {suggested}\n"))
        .replace("name: shop_api_token_v2", "name: project_api_token_${API_TOKEN_VERSION:-1}");
    std::fs::write(&compose, fixed).expect("write");
    assert!(findings(&dir, &["--swarm", "--only", "stack-secret-unversioned"]).is_empty());
    if !docker_cli_available() {
        return skip("no docker CLI for `docker stack config`");
    }
    let out = Command::new("docker")
        .args(["stack", "config", "-c", "compose.yaml"])
        .current_dir(&dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("API_TOKEN_VERSION", "4")
        .output()
        .expect("docker runs");
    assert!(out.status.success(), "docker stack config: {}", String::from_utf8_lossy(&out.stderr));
    let config = String::from_utf8_lossy(&out.stdout);
    assert!(config.contains("name: project_db_password_1") && config.contains("name: project_api_token_4"), "{config}");
}

#[test]
fn sarif_and_json_carry_the_swarm_rules() {
    let (_tmp, dir) = fixture("stack-secret-unversioned", "bad");
    let out =
        secops(&dir).args(["check", "--swarm", "--format", "sarif", "--fail-on", "never"]).output().expect("runs");
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).expect("sarif json");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(crate::support::repo_root().join("tests/sarif-schema-2.1.0.json")).expect("schema"),
    )
    .expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    assert!(validator.iter_errors(&log).next().is_none(), "the SARIF log is not valid 2.1.0");
    let rules: Vec<&str> = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert!(rules.contains(&"stack-unsupported") && rules.contains(&"stack-secret-unversioned"), "{rules:?}");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.iter().filter(|r| r["ruleId"] == "stack-secret-unversioned").count(), 2);
    assert!(results.iter().any(|r| r["ruleId"] == "stack-secret-unversioned" && r["level"] == "warning"));
}

#[test]
fn a_refused_env_file_is_one_finding_at_its_first_refused_line() {
    let (_tmp, dir) = fixture("stack-unsupported", "bad");
    let env = "# sourced by a shell too\nexport JWT_SECRET_KEY=Wq8vN3kT6zRb1LpX9mFc4HsJ7dYg2AeU\nexport A=1\nB = 2\n";
    std::fs::write(dir.join("app.env"), env).expect("write");
    let found = findings(&dir, &["--only", "stack-unsupported"]);
    let env_file: Vec<_> = found.iter().filter(|f| f["file"] == "app.env").collect();
    assert_eq!(env_file.len(), 1, "{found:#?}");
    assert_eq!(env_file[0]["line"], 2);
    let message = env_file[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("`export NAME`") && message.contains("2 more lines after it"), "{message}");
    assert!(!message.contains("Wq8vN3kT"), "a refused line is never quoted: {message}");
}

#[test]
fn a_credential_only_dotenv_defines_is_one_warning_per_key_naming_every_service() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = tmp.path().join("project");
    std::fs::create_dir(&dir).expect("mkdir");
    let compose = "x-env: &env\n  DB_PASSWORD: ${DB_PASSWORD}\nservices:\n  api:\n    image: app:1\n    environment: *env\n  \
                   worker:\n    image: app:1\n    environment:\n      <<: *env\n      REDIS_PASSWORD:\n";
    std::fs::write(dir.join("compose.yaml"), compose).expect("write");
    std::fs::write(dir.join(".env"), "DB_PASSWORD=Tz4Kq9Vm2Xb7Lp3Nw8Rc5Hj1Fd6Gs0Ya\nREDIS_PASSWORD=x\n")
        .expect("write");
    let found = findings(&dir, &["--only", "stack-unsupported"]);
    let summary: Vec<(&str, &str, u64)> = found
        .iter()
        .map(|f| {
            (f["key"].as_str().unwrap_or(""), f["severity"].as_str().unwrap_or(""), f["line"].as_u64().unwrap_or(0))
        })
        .collect();
    assert_eq!(summary, [("DB_PASSWORD", "warning", 2), ("REDIS_PASSWORD", "warning", 11)], "{found:#?}");
    let message = found[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("service api, worker") && message.contains(".env:1"), "{message}");
}
