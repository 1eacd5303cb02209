//! The plugin handshake, `generate` and `version`, directly and through the real docker CLI.

use crate::support::{docker_cli_available, plugin_config_dir, repo_root, secops};
use std::process::Command;

#[test]
fn metadata_is_the_docker_plugin_schema() {
    let out = secops(&repo_root()).arg("docker-cli-plugin-metadata").output().expect("runs");
    assert!(out.status.success());
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(meta["SchemaVersion"], "0.1.0");
    assert_eq!(meta["Vendor"], "docker-secops");
    assert_eq!(meta["Version"], env!("CARGO_PKG_VERSION"));
    assert!(meta["ShortDescription"].as_str().is_some_and(|d| !d.is_empty()));
    assert!(meta.get("Experimental").is_none());
}

#[test]
fn generate_prints_the_runbook_pair() {
    let out = secops(&repo_root()).arg("generate").output().expect("runs");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    let password = lines.iter().position(|l| l.contains("password (32 chars)")).expect("password label") + 1;
    assert_eq!(lines[password].len(), 32);
    assert!(lines[password].bytes().all(|b| b.is_ascii_alphanumeric()));
    let jwt = lines.iter().position(|l| l.contains("JWT secret key (64 chars)")).expect("jwt label") + 1;
    assert_eq!(lines[jwt].len(), 64);
}

#[test]
fn generate_bad_length_is_a_usage_error() {
    let out = secops(&repo_root()).args(["generate", "--kind", "password", "--length", "8"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 16"));
    assert!(out.stdout.is_empty());
}

#[test]
fn generate_through_the_real_docker_cli() {
    if !docker_cli_available() {
        crate::support::skip("the docker CLI is not installed");
        return;
    }
    let config = plugin_config_dir();
    let out = Command::new("docker")
        .arg("--config")
        .arg(config.path())
        .args(["secops", "generate"])
        .output()
        .expect("docker runs");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Secure Credential Generator"));

    let out = Command::new("docker")
        .arg("--config")
        .arg(config.path())
        .args(["--context", "default", "secops", "generate", "--json", "--kind", "password", "--count", "3"])
        .output()
        .expect("docker runs");
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let secrets = json["secrets"].as_array().expect("array");
    assert_eq!(secrets.len(), 3);
    for s in secrets {
        assert_eq!(s["kind"], "password");
        assert_eq!(s["value"].as_str().expect("value").len(), 32);
        assert_eq!(s["fingerprint"].as_str().expect("fp").len(), 8);
    }

    // The plugin shows up in `docker --help` with our description.
    let out = Command::new("docker").arg("--config").arg(config.path()).arg("--help").output().expect("docker runs");
    assert!(String::from_utf8_lossy(&out.stdout).contains("secops*"));
}

#[test]
fn version_through_the_real_docker_cli() {
    if !docker_cli_available() {
        crate::support::skip("the docker CLI is not installed");
        return;
    }
    let config = plugin_config_dir();
    let out =
        Command::new("docker").arg("--config").arg(config.path()).args(["secops", "version"]).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), format!("docker-secops {}", env!("CARGO_PKG_VERSION")));
}
