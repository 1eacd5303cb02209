//! `docker secops rotate redis` on a live stack (redis + app + worker sharing stack.env): data kept, dual window,
//! consumers recreated, automatic rollback, the lock, and (with the `fault-injection` feature) a crash at every
//! step boundary followed by `--resume` or `--rollback`.

use std::process::Output;

use super::stack::{Stack, lossy};

const ORIGINAL: &str = "fixture-redis-pass-7f3a9c2e41";
pub(super) const FILES: [&str; 4] = ["-f", "compose.yaml", "-f", "rotate.yaml"];

pub(super) fn up(test: &str, profiles: &[&str]) -> Option<Stack> {
    let stack = Stack::copy(test)?;
    let mut args: Vec<&str> = FILES.to_vec();
    for p in profiles {
        args.extend(["--profile", p]);
    }
    args.extend(["up", "-d", "--wait"]);
    stack.compose_ok(&args);
    Some(stack)
}

fn rotate(stack: &Stack, extra: &[&str]) -> Output {
    stack.secops(&[&["rotate"], extra, &FILES[..]].concat())
}

pub(super) fn env_value(stack: &Stack, key: &str) -> String {
    let text = std::fs::read_to_string(stack.env_file()).expect("env file");
    text.lines().find_map(|l| l.strip_prefix(&format!("{key}="))).expect("key in env file").to_string()
}

pub(super) fn id(stack: &Stack, service: &str) -> String {
    id_in(stack, &FILES, service)
}

pub(super) fn journal_exists(stack: &Stack) -> bool {
    stack.dir().join(".secops/rotation.journal.json").exists()
}

#[test]
fn rotate_redis_keeps_data_recreates_consumers_and_revokes_the_old_password() {
    let Some(stack) = up("rotate_redis", &[]) else { return };
    assert_eq!(stack.redis_cli(ORIGINAL, "set survivor yes"), "OK");
    let before = std::fs::read_to_string(stack.env_file()).expect("env");
    let (app, worker, redis) = (id(&stack, "app"), id(&stack, "worker"), id(&stack, "redis"));

    let out = rotate(&stack, &["redis", "--yes"]);
    assert!(out.status.success(), "rotate failed: {}", lossy(&out.stderr));
    let new = env_value(&stack, "REDIS_PASSWORD");
    assert_ne!(new, ORIGINAL);
    assert_eq!(new.len(), 32);
    // The secret never reaches our output.
    for text in [lossy(&out.stdout), lossy(&out.stderr)] {
        assert!(!text.contains(&new) && !text.contains(ORIGINAL), "a secret was printed: {text}");
    }
    // Data kept, new accepted, old rejected.
    assert_eq!(stack.redis_cli(&new, "get survivor"), "yes");
    assert!(
        stack.redis_cli(ORIGINAL, "get survivor").contains("WRONGPASS")
            || stack.redis_cli(ORIGINAL, "get survivor").contains("NOAUTH")
    );
    // Every consumer and the store were recreated, and run with the new value.
    assert_ne!(id(&stack, "app"), app);
    assert_ne!(id(&stack, "worker"), worker);
    assert_ne!(id(&stack, "redis"), redis);
    let (code, status) = stack.status_json(&FILES);
    assert_eq!(code, Some(0), "status after rotation: {status}");
    // Only the value's bytes changed in the env file.
    let after = std::fs::read_to_string(stack.env_file()).expect("env");
    assert_eq!(after, before.replace(ORIGINAL, &new));
    // A backup (0600) with the old content, an audit entry, no journal left.
    let backups: Vec<_> = std::fs::read_dir(stack.dir().join(".secops/backups")).expect("backups").collect();
    assert_eq!(backups.len(), 1);
    let backup = backups[0].as_ref().expect("entry").path();
    assert_eq!(std::fs::read_to_string(&backup).expect("backup"), before);
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&backup).expect("meta").permissions().mode() & 0o777, 0o600);
    let audit = std::fs::read_to_string(stack.dir().join(".secops/audit.jsonl")).expect("audit");
    let entry: serde_json::Value = serde_json::from_str(audit.lines().last().expect("line")).expect("json");
    assert_eq!(entry["key"], "REDIS_PASSWORD");
    assert_eq!(entry["result"], "ok");
    assert_eq!(entry["store"], "redis");
    assert!(!audit.contains(&new) && !audit.contains(ORIGINAL));
    assert!(!journal_exists(&stack));
}

#[test]
fn a_consumer_that_fails_with_the_new_value_rolls_everything_back() {
    let Some(stack) = up("rotate_rollback", &["brittle"]) else { return };
    let before = std::fs::read_to_string(stack.env_file()).expect("env");
    let out =
        stack.secops(&[&["rotate", "redis", "--yes", "--timeout", "20", "--profile", "brittle"], &FILES[..]].concat());
    assert_eq!(out.status.code(), Some(2), "stderr: {}", lossy(&out.stderr));
    let stderr = lossy(&out.stderr);
    assert!(stderr.contains("brittle") && stderr.contains("rolling back"), "{stderr}");
    // The failed rotation's error is several short lines, each cause once, never log lines joined with `?`.
    let error = &stderr[stderr.find("docker-secops: error:").expect("an error")..];
    assert!(error.lines().count() > 1 && error.lines().all(|l| l.len() <= 200), "{error}");
    assert_eq!(error.matches("service brittle:").count(), 1, "{stderr}");
    // What failed is said once in the whole run (not in a warning and again in the error), after what stays.
    assert_eq!(stderr.matches("recreating the consumers failed").count(), 1, "{stderr}");
    assert!(error.lines().next().is_some_and(|l| l.contains("rolled back") && l.contains("keeps")), "{error}");
    assert_eq!(stderr.matches("log lines:").count(), 1, "the log lines are said once: {stderr}");
    assert!(!stderr.contains("?  |"), "{stderr}");
    // The old value is back everywhere and logs in; the new one is gone.
    assert_eq!(std::fs::read_to_string(stack.env_file()).expect("env"), before);
    assert_eq!(stack.redis_cli(ORIGINAL, "ping"), "PONG");
    let audit = std::fs::read_to_string(stack.dir().join(".secops/audit.jsonl")).expect("audit");
    assert!(audit.contains("\"result\":\"rolled-back\""));
    assert!(!journal_exists(&stack));
    let (code, status) = stack.status_json(&[&FILES[..], &["--profile", "brittle"]].concat());
    assert_eq!(code, Some(0), "status after rollback: {status}");
}

#[test]
fn a_second_rotation_refuses_while_one_holds_the_lock() {
    let Some(stack) = Stack::copy("rotate_lock") else { return };
    // A live process (this test) holds the lock: no engine needed, the lock is taken before anything else.
    std::fs::create_dir_all(stack.dir().join(".secops")).expect("mkdir");
    let holder = serde_json::json!({
        "pid": std::process::id(), "host": docker_secops::rotation::hostname(),
        "started": "2026-11-25T10:00:00Z", "key": "REDIS_PASSWORD"
    });
    std::fs::write(stack.dir().join(".secops/rotation.lock"), holder.to_string()).expect("lock");
    let out = secops_offline(&stack, &["rotate", "JWT_SECRET_KEY", "--yes", "--no-recreate"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = lossy(&out.stderr);
    assert!(stderr.contains(&format!("pid {}", std::process::id())) && stderr.contains("REDIS_PASSWORD"), "{stderr}");
    assert!(std::fs::read_to_string(stack.env_file()).expect("env").contains("fixture-jwt-secret"));
}

fn secops_offline(stack: &Stack, args: &[&str]) -> Output {
    crate::support::secops(stack.dir()).args(args).args(FILES).output().expect("runs")
}

/// Crashes after each step, then `--resume` (or `--rollback`): the env file's value must log in, data must be
/// intact, and at no point may Redis accept only a credential that neither the env file nor the journal holds.
#[cfg(feature = "fault-injection")]
#[test]
fn a_crash_at_every_step_is_recovered_by_resume_and_by_rollback() {
    use docker_secops::rotation::Step;
    for mode in ["--resume", "--rollback"] {
        let Some(stack) = up(&format!("crash{mode}"), &[]) else { return };
        assert_eq!(stack.redis_cli(ORIGINAL, "set survivor yes"), "OK");
        for step in Step::ALL {
            let before = env_value(&stack, "REDIS_PASSWORD");
            let crashed = crate::support::secops(stack.dir())
                .args([&["rotate", "redis", "--yes", "-p", &stack.project][..], &FILES[..]].concat())
                .env("SECOPS_FAULT_AT", step.as_str())
                .output()
                .expect("runs");
            assert!(!crashed.status.success(), "{mode} {step:?}: the fault did not fire");
            // Invariant: what Redis accepts is known to the env file or to the journal.
            let file_now = env_value(&stack, "REDIS_PASSWORD");
            let journal =
                std::fs::read_to_string(stack.dir().join(".secops/rotation.journal.json")).unwrap_or_default();
            let accepted = [&before, &file_now].into_iter().any(|p| stack.redis_cli(p, "ping") == "PONG")
                || journal_secrets(&journal).iter().any(|p| stack.redis_cli(p, "ping") == "PONG");
            assert!(accepted, "{mode} after {step:?}: no known credential logs in");
            if journal_exists(&stack) {
                let out = stack.secops(&[&["rotate", mode, "--yes"], &FILES[..]].concat());
                assert!(out.status.success(), "{mode} after {step:?}: {}", lossy(&out.stderr));
            }
            let value = env_value(&stack, "REDIS_PASSWORD");
            assert_eq!(stack.redis_cli(&value, "get survivor"), "yes", "{mode} after {step:?}");
            if mode == "--rollback" && step < Step::Finished {
                assert_eq!(value, before, "rollback after {step:?} restores the old value");
            }
            assert!(!journal_exists(&stack), "{mode} after {step:?}: journal left");
            let (code, status) = stack.status_json(&FILES);
            assert_eq!(code, Some(0), "{mode} after {step:?}: {status}");
        }
    }
}

#[cfg(feature = "fault-injection")]
fn journal_secrets(journal: &str) -> Vec<String> {
    let Ok(value) = serde_json::from_str::<serde_json::Value>(journal) else { return Vec::new() };
    ["old", "new", "file_old"].iter().filter_map(|k| value[k].as_str().map(str::to_string)).collect()
}

#[test]
fn with_an_acl_file_the_old_password_is_revoked_in_the_recreated_redis() {
    let Some(stack) = Stack::copy("rotate_aclfile") else { return };
    let files = ["-f", "compose.yaml", "-f", "aclfile.yaml"];
    stack.compose_ok(&[&files[..], &["up", "-d", "--wait"]].concat());
    assert_eq!(stack.redis_cli(ORIGINAL, "set survivor yes"), "OK");
    let out = stack.secops(&[&["rotate", "redis", "--yes"], &files[..]].concat());
    assert!(out.status.success(), "rotate failed: {}", lossy(&out.stderr));
    let new = env_value(&stack, "REDIS_PASSWORD");
    // The recreated Redis loaded the ACL file that the dual window had saved with both passwords: only the
    // finish step, run against the new container, removes the old one.
    assert_eq!(stack.redis_cli(&new, "get survivor"), "yes");
    let old = stack.redis_cli(ORIGINAL, "ping");
    assert!(old.contains("WRONGPASS") || old.contains("NOAUTH"), "old password still accepted: {old}");
    let acl = stack.redis_cli(&new, "acl list");
    assert_eq!(acl.matches(" #").count(), 1, "one password left: {acl}");
}

#[test]
fn a_store_that_comes_back_with_its_first_password_is_caught_by_a_login_and_rolled_back() {
    let Some(stack) = Stack::copy("rotate_initonly") else { return };
    let files = ["-f", "compose.yaml", "-f", "initonly.yaml"];
    stack.compose_ok(&[&files[..], &["up", "-d", "--wait"]].concat());
    assert_eq!(stack.redis_cli(ORIGINAL, "set survivor yes"), "OK");
    let before = std::fs::read_to_string(stack.env_file()).expect("env");
    let (app, redis) = (id_in(&stack, &files, "app"), id_in(&stack, &files, "redis"));
    let out = stack.secops(&[&["rotate", "redis", "--yes", "--timeout", "30"], &files[..]].concat());
    let stderr = lossy(&out.stderr);
    // Redis ran again, without a healthcheck, but with the password on its volume: the login with the new value
    // after its restart is refused, so the rotation does not end with every consumer holding a value it refuses.
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("service redis: its new container refuses the new value"), "{stderr}");
    assert!(stderr.contains("rolled back"), "{stderr}");
    assert_eq!(std::fs::read_to_string(stack.env_file()).expect("env"), before);
    assert_eq!(stack.redis_cli(ORIGINAL, "get survivor"), "yes");
    assert_ne!(id_in(&stack, &files, "redis"), redis, "the store was recreated");
    assert_ne!(id_in(&stack, &files, "app"), app, "the consumer was recreated, then back");
    let (code, status) = stack.status_json(&files);
    assert_eq!(code, Some(0), "status after rollback: {status}");
    let audit = std::fs::read_to_string(stack.dir().join(".secops/audit.jsonl")).expect("audit");
    assert!(audit.contains("\"result\":\"rolled-back\""), "{audit}");
    assert!(!journal_exists(&stack));
}

/// The container ID of `service` in the project of `files`.
fn id_in(stack: &Stack, files: &[&str], service: &str) -> String {
    let out = stack.compose_ok(&[files, &["ps", "-q", service]].concat());
    lossy(&out.stdout).trim().to_string()
}

/// The state a dry run must leave alone: env file, journal, and every container's ID.
#[cfg(feature = "fault-injection")]
fn snapshot(stack: &Stack) -> (String, String, Vec<String>) {
    let journal = std::fs::read_to_string(stack.dir().join(".secops/rotation.journal.json")).expect("journal");
    let ids = ["app", "worker", "redis"].iter().map(|s| id(stack, s)).collect();
    (std::fs::read_to_string(stack.env_file()).expect("env"), journal, ids)
}

#[cfg(feature = "fault-injection")]
#[test]
fn resume_and_rollback_with_dry_run_change_nothing_and_say_what_they_would_do() {
    let Some(stack) = up("recovery_dry_run", &[]) else { return };
    let crashed = crate::support::secops(stack.dir())
        .args([&["rotate", "redis", "--yes", "-p", &stack.project][..], &FILES[..]].concat())
        .env("SECOPS_FAULT_AT", "committed")
        .output()
        .expect("runs");
    assert!(!crashed.status.success(), "the fault did not fire");
    let before = snapshot(&stack);
    // No terminal and no --yes: the dry run needs neither, and must not act.
    let out = stack.secops(&[&["rotate", "--resume", "--dry-run"], &FILES[..]].concat());
    let text = lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text} {}", lossy(&out.stderr));
    assert!(text.contains("last step committed") && text.contains("steps:     recreate, finish"), "{text}");
    assert!(text.contains("recreate:  app, worker, redis") && text.contains("dry run: nothing changed"), "{text}");
    let out = stack.secops(&[&["rotate", "--rollback", "--dry-run", "--format", "json"], &FILES[..]].concat());
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json plan");
    assert_eq!(plan["recovery"], "rollback");
    assert_eq!(plan["store"]["new"], "ok", "{plan:#}");
    assert_eq!(plan["steps"], serde_json::json!(["rollback store", "rollback files", "rollback recreate"]));
    assert_eq!(snapshot(&stack), before, "a dry run changed the env file, the journal or a container");
    // Without a terminal, resume and rollback need --yes like a rotation does.
    for mode in ["--resume", "--rollback"] {
        let out = stack.secops(&[&["rotate", mode], &FILES[..]].concat());
        assert_eq!(out.status.code(), Some(2));
        assert!(lossy(&out.stderr).contains("without --yes"), "{}", lossy(&out.stderr));
    }
    assert_eq!(snapshot(&stack), before);
    let out = stack.secops(&[&["rotate", "--rollback", "--yes"], &FILES[..]].concat());
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    assert_eq!(env_value(&stack, "REDIS_PASSWORD"), ORIGINAL);
    // The summary says what stays and what was recreated back, and the audit entry names those services.
    let stdout = lossy(&out.stdout);
    assert!(stdout.contains("rolled back REDIS_PASSWORD: keeps ") && !stdout.contains(" -> "), "{stdout}");
    assert!(stdout.contains("recreated back: app, worker, redis"), "{stdout}");
    let audit = std::fs::read_to_string(stack.dir().join(".secops/audit.jsonl")).expect("audit");
    let entry: serde_json::Value = serde_json::from_str(audit.lines().last().expect("line")).expect("json");
    assert_eq!(entry["result"], "rolled-back");
    assert_eq!(entry["services"], serde_json::json!(["app", "worker", "redis"]));
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_second_rotation_while_one_runs_names_the_running_pid_not_an_interruption() {
    let Some(stack) = Stack::copy("rotate_running") else { return };
    let marker = stack.dir().join("paused");
    // An offline-planned JWT rotation paused after `tested`: its journal and its lock exist, its process lives.
    let mut first = crate::support::secops(stack.dir())
        .args([&["rotate", "JWT_SECRET_KEY", "--yes", "--no-recreate", "-p", &stack.project][..], &FILES[..]].concat())
        .env("SECOPS_PAUSE_AT", "tested")
        .env("SECOPS_PAUSE_FILE", &marker)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("starts");
    let until = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while !marker.exists() && std::time::Instant::now() < until {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(marker.exists(), "the first rotation never paused");
    let out = secops_offline(&stack, &["rotate", "JWT_SECRET_KEY", "--yes", "--no-recreate"]);
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr.contains("another rotation is running") && stderr.contains(&format!("pid {}", first.id())),
        "{stderr}"
    );
    assert!(!stderr.contains("interrupted") && !stderr.contains("--resume"), "{stderr}");
    let status = stack.secops(&[&["status", "--no-probe"], &FILES[..]].concat());
    let text = lossy(&status.stdout);
    assert!(text.contains(&format!("still running (pid {})", first.id())) && !text.contains("--resume"), "{text}");
    std::fs::remove_file(&marker).expect("let it go on");
    assert!(first.wait().expect("first ends").success());
}

#[test]
fn rotate_prints_a_progress_line_per_service_as_it_is_replaced_created_and_healthy() {
    let Some(stack) = up("rotate_progress", &[]) else { return };
    let out = rotate(&stack, &["redis", "--yes"]);
    assert!(out.status.success(), "rotate failed: {}", lossy(&out.stderr));
    let stderr = lossy(&out.stderr);
    for service in ["app", "worker"] {
        for event in
            ["stopping and replacing (compose up --force-recreate)", "created, waiting until healthy", "healthy after"]
        {
            let line = format!("recreate {service:<16} {event}");
            assert_eq!(stderr.matches(&line).count(), 1, "{line:?} once: {stderr}");
        }
    }
    // The progress lines come before the step line that closes the recreate step.
    let healthy = stderr.find("recreate app              healthy after").expect("healthy line");
    let step = stderr.find("ok recreate").expect("recreate step line");
    assert!(healthy < step, "{stderr}");
}

#[test]
fn rotate_by_project_name_from_another_directory_reads_the_compose_labels() {
    let Some(stack) = up("rotate_other_dir", &[]) else { return };
    let (app, worker) = (id(&stack, "app"), id(&stack, "worker"));
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let out = crate::support::secops(elsewhere.path())
        .args(["rotate", "redis", "--yes", "--timeout", "30", "-p", &stack.project])
        .output()
        .expect("docker-secops runs");
    assert_eq!(out.status.code(), Some(0), "stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr));
    // The env file the labels point at got the new value, and both files' consumers (rotate.yaml's worker too)
    // were recreated onto it.
    let new = env_value(&stack, "REDIS_PASSWORD");
    assert_ne!(new, ORIGINAL);
    assert_eq!(stack.redis_cli(&new, "ping"), "PONG");
    assert_ne!(id(&stack, "app"), app);
    assert_ne!(id(&stack, "worker"), worker);
    // The state lives in the project's own directory, not in the one the command ran from.
    assert!(stack.dir().join(".secops/audit.jsonl").exists());
    assert!(!elsewhere.path().join(".secops").exists());
    let (code, status) = stack.status_json(&FILES);
    assert_eq!(code, Some(0), "{status:#}");
}
