//! `docker secops recreate` against a live stack.

use super::stack::{Stack, key, lossy};

#[test]
fn recreate_reloads_the_env_file_into_a_new_container() {
    let Some(stack) = Stack::up("recreate_reload") else { return };
    let before = stack.container_id("app");
    let redis_before = stack.container_id("redis");
    stack.set_env("JWT_SECRET_KEY", "rotated-jwt-secret-a4f09c1d7e3b6a25");
    assert_eq!(stack.status_json(&["--no-probe"]).0, Some(1));

    let out = stack.secops(&["recreate", "app"]);
    let stdout = lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "stdout {stdout} stderr {}", lossy(&out.stderr));
    let after = stack.container_id("app");
    assert_ne!(after, before, "recreate must replace the container");
    // `app  3f2a1c9d0e1b -> 9b8c7d6e5f4a     4.1s  healthy`
    let line = stdout.lines().find(|l| l.starts_with("app  ")).unwrap_or_else(|| panic!("no app line: {stdout}"));
    assert!(line.contains(&format!("{} -> {}", &before[..12], &after[..12])), "{line}");
    assert!(line.ends_with("healthy"), "{line}");
    assert_eq!(stack.container_id("redis"), redis_before, "--no-deps: redis is left alone");

    let (code, status) = stack.status_json(&[]);
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "in_sync", "{status:#}");
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["probe"]["result"], "ok");
    // redis reads the same env file and was not recreated: status still points at it.
    assert_eq!(key(&status, "redis", "JWT_SECRET_KEY")["drift"], "stale");
    assert_eq!(code, Some(1));
}

#[test]
fn recreate_with_dependents_goes_in_dependency_order_and_keeps_the_data() {
    let Some(stack) = Stack::up("recreate_dependents") else { return };
    let redis = stack.container_id("redis");
    let write = std::process::Command::new("docker")
        .args(["exec", &redis, "sh", "-c", r#"REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning SET k kept"#])
        .output()
        .expect("docker exec");
    assert_eq!(lossy(&write.stdout).trim(), "OK");

    let out = stack.secops(&["recreate", "redis", "--with-dependents", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let order: Vec<&str> =
        json["services"].as_array().expect("services").iter().filter_map(|s| s["service"].as_str()).collect();
    assert_eq!(order, ["redis", "app"]);
    assert_eq!(json["ok"], true);
    assert_ne!(json["services"][0]["new_id"], json["services"][0]["old_ids"][0]);

    // `down` without -v: the named volume (and the appendonly data in it) survived.
    let redis = stack.container_id("redis");
    let read = std::process::Command::new("docker")
        .args(["exec", &redis, "sh", "-c", r#"REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning GET k"#])
        .output()
        .expect("docker exec");
    assert_eq!(lossy(&read.stdout).trim(), "kept");
}

#[test]
fn recreate_of_a_service_that_never_gets_healthy_exits_2_with_its_logs() {
    let Some(stack) = Stack::up("recreate_unhealthy") else { return };
    stack.set_env("APP_FAIL_HEALTH", "1");
    let out = stack.secops(&["recreate", "app", "--timeout", "60"]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "stdout {stdout} stderr {stderr}");
    assert!(stdout.lines().any(|l| l.starts_with("app  ") && l.ends_with("unhealthy")), "{stdout}");
    assert!(stderr.contains("service app: did not come up: unhealthy"), "{stderr}");
    assert!(stderr.contains("last healthcheck: unhealthy: APP_FAIL_HEALTH=1"), "{stderr}");
    assert!(stderr.contains("log lines of"), "{stderr}");
    assert!(stderr.contains("secops-test-app: starting"), "the app's own log lines are shown: {stderr}");
    assert!(!stderr.contains("fixture-redis-pass"), "a secret leaked: {stderr}");
    assert!(!stderr.contains("timed out"), "unhealthy is detected as such, not by waiting out the timeout: {stderr}");
}

#[test]
fn recreate_refuses_a_value_the_store_rejects() {
    let Some(stack) = Stack::up("recreate_rejected") else { return };
    let before = stack.container_id("app");
    stack.set_env("REDIS_PASSWORD", "hand-edited-value-1234567890ab");
    let out = stack.secops(&["recreate", "app"]);
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stdout {} stderr {stderr}", lossy(&out.stdout));
    assert!(
        stderr.contains("refusing to recreate") && stderr.contains("app: redis (service redis) rejects"),
        "{stderr}"
    );
    assert!(stderr.contains("--current-from-stdin") && stderr.contains("--force"), "{stderr}");
    assert!(!stderr.contains("hand-edited-value"), "a secret was printed: {stderr}");
    assert_eq!(stack.container_id("app"), before, "the working container was left alone");
    let (_, status) = stack.status_json(&["--no-probe"]);
    assert!(super::stack::service(&status, "app")["down"].is_null(), "app is still up: {status:#}");
}

#[test]
fn recreate_by_project_name_from_another_directory_reads_the_compose_labels() {
    let Some(stack) = Stack::up("recreate_other_dir") else { return };
    let before = stack.container_id("app");
    stack.set_env("JWT_SECRET_KEY", "relabelled-jwt-secret-5e1f0a9c3b7d2468");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = crate::support::secops(elsewhere.path())
        .args(["recreate", "app", "-p", &stack.project])
        .output()
        .expect("docker-secops runs");
    assert_eq!(out.status.code(), Some(0), "stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr));
    assert_ne!(stack.container_id("app"), before, "recreate must replace the container");
    // The new container got the env file the labels point at, read from the project's own directory.
    let (_, status) = stack.status_json(&["--no-probe"]);
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "in_sync", "{status:#}");
}
