//! `status` and `recreate` errors that need no Docker engine (these always run).

use super::stack::{fixture_copy, lossy};
use crate::support::secops;

#[test]
fn recreate_of_an_unknown_service_names_the_known_ones() {
    let dir = fixture_copy();
    let out = secops(dir.path()).args(["recreate", "nosuch", "-p", "usage"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = lossy(&out.stderr);
    assert!(stderr.contains(r#"no service "nosuch" in compose project usage (services: app, redis)"#), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_engine_that_is_not_there_is_an_error_naming_it() {
    let dir = fixture_copy();
    for command in ["status", "recreate"] {
        let out = secops(dir.path())
            .args([command, "-p", "usage"])
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env_remove("DOCKER_CONTEXT")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = lossy(&out.stderr);
        assert!(stderr.contains("cannot connect to the Docker engine at unix:///nonexistent/docker.sock"), "{stderr}");
        assert!(!stderr.contains("fixture-redis-pass"), "{stderr}");
    }
}

#[test]
fn a_mistyped_rotate_target_gets_did_you_mean_and_the_valid_targets() {
    let dir = fixture_copy();
    let out = secops(dir.path()).args(["rotate", "rediss", "--dry-run", "-p", "usage"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = lossy(&out.stderr);
    assert!(stderr.contains("did you mean redis?"), "{stderr}");
    assert!(stderr.contains("Targets: redis, mongo") && stderr.contains("REDIS_PASSWORD"), "{stderr}");
    assert!(!stderr.contains("fixture-redis-pass"), "{stderr}");
}

#[test]
fn rotate_dry_run_with_format_json_prints_the_plan_as_json() {
    let dir = fixture_copy();
    let out = secops(dir.path())
        .args(["rotate", "redis", "--dry-run", "--format", "json", "-p", "usage"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the plan is JSON");
    assert_eq!(plan["dry_run"], true);
    assert_eq!(plan["key"], "REDIS_PASSWORD");
    assert_eq!(plan["store"]["kind"], "redis");
    assert_eq!(plan["recreate"], serde_json::json!(["app", "redis"]));
    assert!(plan["state_dir"].as_str().is_some_and(|d| d.ends_with("/.secops")), "{plan:#}");
    assert!(!lossy(&out.stdout).contains("fixture-redis-pass"));
}
