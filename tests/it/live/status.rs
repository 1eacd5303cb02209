//! `docker secops status` against a live stack: drift and probes.

use super::stack::{Stack, key, lossy, service};
use crate::support::secops;

const PASSWORD: &str = "fixture-redis-pass-7f3a9c2e41";

#[test]
fn status_in_sync_then_stale_after_an_env_edit_and_still_stale_after_restart() {
    let Some(stack) = Stack::up("status_drift") else { return };

    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "fresh stack should be clean: {status:#}");
    assert_eq!(status["ok"], true);
    for svc in ["app", "redis"] {
        assert_eq!(key(&status, svc, "REDIS_PASSWORD")["drift"], "in_sync");
        assert_eq!(key(&status, svc, "REDIS_PASSWORD")["probe"]["result"], "ok", "{status:#}");
        assert_eq!(service(&status, svc)["container"]["health"], "healthy");
    }
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "in_sync");
    assert!(key(&status, "app", "JWT_SECRET_KEY")["probe"].is_null(), "a JWT key has no store to probe");

    // Human output names the state per key, never a value.
    let out = stack.secops(&["status"]);
    let text = lossy(&out.stdout);
    assert!(text.contains("in sync"), "{text}");
    assert!(!text.contains(PASSWORD), "status printed a secret: {text}");

    stack.set_env("JWT_SECRET_KEY", "rotated-jwt-secret-6c1e9a0d3f7b2e58");
    let (code, status) = stack.status_json(&["--no-probe"]);
    assert_eq!(code, Some(1), "{status:#}");
    let jwt = key(&status, "app", "JWT_SECRET_KEY");
    assert_eq!(jwt["drift"], "stale", "{status:#}");
    assert_eq!(jwt["file_changed_after_created"], true);
    assert_ne!(jwt["fingerprint"], jwt["container_fingerprint"]);
    let out = stack.secops(&["status", "--no-probe"]);
    let text = lossy(&out.stdout);
    assert!(text.contains("stale: stack.env changed after the container was created\n"), "{text}");
    // Every service to recreate is named once, on one line at the end, in one command.
    assert_eq!(text.matches("run docker secops recreate").count(), 1, "{text}");
    assert!(text.trim_end().ends_with("run docker secops recreate app redis"), "{text}");

    // The runbook's pitfall: `restart` keeps the old environment.
    let before = stack.container_id("app");
    stack.compose_ok(&["restart", "app"]);
    assert_eq!(stack.container_id("app"), before, "restart keeps the container");
    let (code, status) = stack.status_json(&["--no-probe"]);
    assert_eq!(code, Some(1));
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "stale", "restart must not count as a reload");
}

#[test]
fn probe_is_rejected_when_redis_no_longer_takes_the_env_file_password() {
    let Some(stack) = Stack::up("probe_rejected") else { return };
    // Change the server's password behind the env file's back (the MONGO_INITDB-style drift, on Redis).
    let redis = stack.container_id("redis");
    let out = std::process::Command::new("docker")
        .args(["exec", "-e", "NEWPASS=changed-behind-the-file-55aa", &redis, "sh", "-c"])
        .arg(r#"REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli --no-auth-warning CONFIG SET requirepass "$NEWPASS""#)
        .output()
        .expect("docker exec");
    assert_eq!(lossy(&out.stdout).trim(), "OK", "{}", lossy(&out.stderr));

    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    let probe = &key(&status, "app", "REDIS_PASSWORD")["probe"];
    assert_eq!(probe["result"], "rejected", "{status:#}");
    assert_eq!(probe["store"], "redis");
    assert_eq!(probe["service"], "redis");
    assert!(probe["address"].as_str().is_some_and(|a| a.starts_with("127.0.0.1:")), "{probe}");
    // Drift alone would not have caught it: the containers still match the file.
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["drift"], "in_sync");
}

#[test]
fn probe_is_unreachable_when_redis_is_stopped() {
    let Some(stack) = Stack::up("probe_unreachable") else { return };
    stack.compose_ok(&["stop", "redis"]);
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    let probe = &key(&status, "app", "REDIS_PASSWORD")["probe"];
    assert_eq!(probe["result"], "unreachable", "{status:#}");
    assert!(probe["reason"].as_str().is_some_and(|r| r.contains("redis") && r.contains("exited")), "{probe}");
    assert_eq!(service(&status, "redis")["container"]["state"], "exited");

    // A hand-given address is used as is: nothing listens on port 1, so it is unreachable too, quickly.
    let (_, status) = stack.status_json(&["--redis-uri", "redis://127.0.0.1:1"]);
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["probe"]["address"], "redis://127.0.0.1:1");
}

#[test]
fn status_reports_the_last_rotation_and_a_left_over_journal() {
    let Some(stack) = Stack::up_services("status_audit", &["redis"]) else { return };
    let state = stack.dir().join(".secops");
    std::fs::create_dir_all(&state).expect("mkdir .secops");
    let entry = serde_json::json!({
        "time": "2024-05-01T10:00:00Z", "operator": "ops", "host": "h", "file": stack.env_file().display().to_string(),
        "key": "REDIS_PASSWORD", "store": "redis", "old_fingerprint": "aaaa1111", "new_fingerprint": "bbbb2222",
        "services": ["redis"], "duration_ms": 1, "result": "ok"
    });
    std::fs::write(state.join("audit.jsonl"), format!("{entry}\n")).expect("audit log");
    let (code, status) = stack.status_json(&["--no-probe"]);
    assert_eq!(key(&status, "redis", "REDIS_PASSWORD")["last_rotated"], "2024-05-01T10:00:00Z", "{status:#}");
    assert!(key(&status, "redis", "JWT_SECRET_KEY")["last_rotated"].is_null());
    assert!(status["pending_rotation"].is_null());
    // app was not started: its keys are missing, which is a finding on its own.
    assert_eq!(code, Some(1));
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["drift"], "missing");

    std::fs::write(state.join("rotation.journal.json"), "{damaged").expect("journal");
    let (code, status) = stack.status_json(&["--no-probe"]);
    assert_eq!(code, Some(1));
    let pending = &status["pending_rotation"];
    assert!(pending["error"].as_str().is_some_and(|e| e.contains("damaged")), "{pending}");
    let out = stack.secops(&["status", "--no-probe"]);
    assert!(lossy(&out.stdout).contains("run docker secops rotate --resume or --rollback"), "{}", lossy(&out.stdout));
}

#[test]
fn status_fails_on_a_stopped_service() {
    let Some(stack) = Stack::up("status_stopped") else { return };
    stack.compose_ok(&["stop", "app"]);
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "a stopped service fails the health gate even with every key in sync: {status:#}");
    assert_eq!(status["ok"], false);
    assert!(service(&status, "app")["down"].as_str().is_some_and(|d| d.starts_with("exited")), "{status:#}");
    assert!(service(&status, "redis")["down"].is_null());
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["drift"], "in_sync");
    let text = lossy(&stack.secops(&["status"]).stdout);
    assert!(text.contains("2 services (1 down: app)"), "{text}");
}

#[test]
fn status_says_a_value_the_store_rejects_must_be_restored_not_recreated() {
    let Some(stack) = Stack::up("status_rejected_advice") else { return };
    // A hand edit: the file's value no longer logs in, the containers still hold the working one.
    stack.set_env("REDIS_PASSWORD", "hand-edited-value-1234567890ab");
    let out = stack.secops(&["status"]);
    assert_eq!(out.status.code(), Some(1));
    let text = lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().filter(|l| l.trim_start().starts_with("REDIS_PASSWORD")).collect();
    assert!(!lines.is_empty(), "{text}");
    for line in lines {
        assert!(line.contains("redis login rejected") && !line.contains("recreate"), "{line}");
    }
    assert!(
        text.contains("rejects the value stack.env gives: do not recreate")
            && text.contains("docker secops rotate REDIS_PASSWORD --current-from-stdin"),
        "{text}"
    );
    assert!(!text.contains("hand-edited-value"), "a secret was printed: {text}");
}

#[test]
fn status_by_project_name_from_another_directory_reads_the_compose_labels() {
    let Some(stack) = Stack::up("status_other_dir") else { return };
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = secops(elsewhere.path())
        .args(["status", "--no-probe", "--format", "json", "-p", &stack.project])
        .output()
        .expect("docker-secops runs");
    assert_eq!(out.status.code(), Some(0), "stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).expect("status JSON");
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["drift"], "in_sync", "{status:#}");
    // Without containers to name the files, the old error stays: no compose file here.
    let out = secops(elsewhere.path()).args(["status", "-p", "no-such-project-xyz"]).output().expect("runs");
    assert_ne!(out.status.code(), Some(0));
    assert!(lossy(&out.stderr).contains("no container of project no-such-project-xyz"), "{}", lossy(&out.stderr));
}
