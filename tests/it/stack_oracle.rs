//! Differential test of `stack-unsupported` against the real docker CLI: for each fixture, `docker stack config -c
//! compose.yaml` (docker/cli's own loader, no swarm needed) refuses the file exactly when docker-secops reports a
//! refusal; and where docker accepts it, the credentials whose value differs between `docker stack config` and
//! `docker compose config` (environment values, secret object names) are exactly the ones docker-secops reports. Skipped with a notice without the docker CLI
//! and compose v2.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::{docker_cli_available, repo_root, secops, skip};

/// The fixtures: the check's own pair, and one project per feature under `tests/fixtures/stack/`.
const FIXTURES: &[&str] = &[
    "checks/stack-unsupported/good",
    "checks/stack-unsupported/bad",
    "checks/stack-secret-unversioned/bad",
    "stack/secret-environment",
    "stack/env-file-long",
    "stack/include",
    "stack/extends",
    "stack/alternative",
    "stack/env-export",
    "stack/env-values",
    "stack/dotenv",
    "stack/dotenv-required",
];

#[test]
fn stack_unsupported_agrees_with_docker_stack_config() {
    if !docker_cli_available() || !command_ok(Path::new("."), &["compose", "version"]) {
        return skip("no docker CLI with compose v2");
    }
    let mut failures = Vec::new();
    for fixture in FIXTURES {
        let dir = repo_root().join("tests/fixtures").join(fixture);
        let (refusals, differences) = verdict(&dir);
        let stack = docker(&dir, &["stack", "config", "-c", "compose.yaml"]);
        let refused = !stack.status.success();
        let we_refuse = !refusals.is_empty();
        if refused != we_refuse {
            failures.push(format!(
                "{fixture}: docker stack config {} ({}), docker-secops reports {refusals:?}",
                if refused { "refuses" } else { "accepts" },
                String::from_utf8_lossy(&stack.stderr).trim()
            ));
        }
        if refused {
            continue;
        }
        let theirs = stack_environment(&stack.stdout);
        let compose = docker(&dir, &["compose", "-f", "compose.yaml", "config", "--format", "json"]);
        assert!(compose.status.success(), "{fixture}: {}", String::from_utf8_lossy(&compose.stderr));
        let ours = compose_environment(&compose.stdout);
        // PLAIN_ keys are no credentials: docker reads them otherwise too, and the check leaves them alone. A
        // secret without `name:` is named by each tool its own way (`<project>_<key>`, `<stack>_<key>`).
        let differ: BTreeSet<String> = ours
            .iter()
            .filter(|(k, _)| k.0 != "secrets" || theirs.contains_key(*k))
            .filter(|(k, v)| theirs.get(*k) != Some(*v) && !k.1.starts_with("PLAIN_"))
            .map(|((_, key), _)| key.clone())
            .collect();
        if differ != differences {
            failures.push(format!("{fixture}: values differ for {differ:?}, docker-secops reports {differences:?}"));
        }
    }
    assert!(failures.is_empty(), "stack-unsupported disagrees with docker:\n{}", failures.join("\n"));
}

/// docker-secops' findings on `dir`: the refusals (messages), and the keys it says get another value.
fn verdict(dir: &Path) -> (Vec<String>, BTreeSet<String>) {
    let out = secops(dir)
        .args(["check", "--only", "stack-unsupported", "--format", "json", "--fail-on", "never", "--no-history"])
        .env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut refusals = Vec::new();
    let mut differences = BTreeSet::new();
    for finding in report["findings"].as_array().into_iter().flatten() {
        let message = finding["message"].as_str().unwrap_or_default();
        if message.contains("refuses") {
            refusals.push(message.to_string());
        } else if let Some(key) = finding["key"].as_str() {
            differences.insert(key.to_string());
        }
    }
    (refusals, differences)
}

/// `docker ARGS` in `dir` with only `PATH` and `HOME` (neither tool may see the test's environment).
fn docker(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new("docker")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", std::env::var_os("HOME").unwrap_or_else(|| PathBuf::from("/root").into()))
        .output()
        .expect("docker runs")
}

fn command_ok(dir: &Path, args: &[&str]) -> bool {
    docker(dir, args).status.success()
}

/// (service, key) -> value of `docker stack config`'s YAML.
fn stack_environment(yaml: &[u8]) -> BTreeMap<(String, String), String> {
    let config: Value =
        serde_saphyr::from_str(&String::from_utf8_lossy(yaml)).expect("docker stack config prints YAML");
    environment_of(&config)
}

/// (service, key) -> value of `docker compose config --format json`, `$$` read back as `$`.
fn compose_environment(json: &[u8]) -> BTreeMap<(String, String), String> {
    let config: Value = serde_json::from_slice(json).expect("json");
    environment_of(&config).into_iter().map(|(k, v)| (k, v.replace("$$", "$"))).collect()
}

/// Each service's environment, and each secret's object name under the service `secrets`.
fn environment_of(config: &Value) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (key, secret) in config["secrets"].as_object().into_iter().flatten() {
        if let Some(name) = secret["name"].as_str() {
            out.insert(("secrets".to_string(), key.clone()), name.to_string());
        }
    }
    for (service, spec) in config["services"].as_object().into_iter().flatten() {
        for (key, value) in spec["environment"].as_object().into_iter().flatten() {
            out.insert((service.clone(), key.clone()), value.as_str().unwrap_or_default().to_string());
        }
    }
    out
}
