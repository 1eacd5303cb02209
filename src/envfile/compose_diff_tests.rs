//! Differential test against the real `docker compose config` (opt-in: `SECOPS_COMPOSE_DIFF=1`, needs the
//! compose CLI but no daemon): random documents, before and after a random `set`, must give compose exactly
//! the values this module reports.

use std::path::Path;
use std::process::Command;

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::TestRunner;
use serde_json::Value;

use super::EnvDocument;
use super::prop_tests::{document, new_value};

/// What compose's `environment` holds for each key, by this module: `None` when compose leaves the key
/// out, `Some(None)` when the value needs interpolation (not compared).
fn expected(doc: &EnvDocument, key: &str) -> Option<Option<String>> {
    let assigned = doc.get_assigned(key)?;
    Some(assigned.literal().map(|literal| literal.into_owned()))
}

/// The service environment `docker compose config` resolves for `env_file`, with `$$` read back as `$`.
fn compose_environment(dir: &Path, env_file: &Path) -> Result<serde_json::Map<String, Value>, String> {
    let compose = dir.join("compose.yaml");
    let yaml = format!("services:\n  s:\n    image: busybox\n    env_file: {}\n", env_file.display());
    std::fs::write(&compose, yaml).map_err(|e| e.to_string())?;
    let out = Command::new("docker")
        .args(["compose", "-f"])
        .arg(&compose)
        .args(["config", "--format", "json"])
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", dir)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let json: Value = serde_json::from_slice(&out.stdout).map_err(|e| e.to_string())?;
    let env = json["services"]["s"]["environment"].as_object().cloned().unwrap_or_default();
    let unescape = |v: Value| v.as_str().map_or(v.clone(), |s| Value::from(s.replace("$$", "$")));
    Ok(env.into_iter().map(|(k, v)| (k, unescape(v))).collect())
}

/// Compares one document with compose; false when compose rejected it.
fn check(dir: &Path, name: &str, doc: &EnvDocument) -> bool {
    let file = dir.join(name);
    std::fs::write(&file, doc.to_bytes()).expect("write");
    // Compose rejects malformed `${` references in generated values; those files say nothing about us.
    let Ok(env) = compose_environment(dir, &file) else {
        return false;
    };
    for entry in doc.entries() {
        match expected(doc, &entry.key) {
            Some(None) => {}
            Some(Some(value)) => assert_eq!(env.get(&entry.key), Some(&Value::from(value)), "{name}: {}", entry.key),
            None => assert!(!env.contains_key(&entry.key), "{name}: bare {} should be unset", entry.key),
        }
    }
    let extra: Vec<_> = env.keys().filter(|k| doc.get(k).is_none()).collect();
    assert!(extra.is_empty(), "{name}: compose saw keys we did not: {extra:?}");
    true
}

#[test]
fn matches_docker_compose_config() {
    if std::env::var_os("SECOPS_COMPOSE_DIFF").is_none() {
        return;
    }
    let cases = std::env::var("SECOPS_COMPOSE_DIFF_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(100);
    let dir = tempfile::tempdir().expect("tempdir");
    let mut runner = TestRunner::deterministic();
    let mut compared = 0;
    for n in 0..cases {
        let input = document().new_tree(&mut runner).expect("document").current();
        let mut doc = EnvDocument::parse("diff.env", &input).expect("generated documents parse");
        compared += usize::from(check(dir.path(), &format!("{n}.env"), &doc));
        let keys: Vec<String> = doc.entries().iter().map(|e| e.key.clone()).collect();
        let key = if n % 5 == 0 || keys.is_empty() { "NEW_KEY".to_owned() } else { keys[n % keys.len()].clone() };
        let value = new_value().new_tree(&mut runner).expect("value").current();
        doc.set(&key, &value).expect("set");
        compared += usize::from(check(dir.path(), &format!("{n}-set.env"), &doc));
    }
    // A few generated values hold malformed `${` references compose rejects; a missing CLI rejects all.
    assert!(compared * 10 >= cases * 2 * 9, "docker compose accepted only {compared} of {} files", cases * 2);
}
