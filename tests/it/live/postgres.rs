//! PostgreSQL rotations against a real server (secops-test/postgres:15 on a named volume, `log_statement=all`)
//! with two consumers, one holding the password inside a `DATABASE_URL`.

use std::process::Command;

use super::stack::{Stack, lossy};

const OLD: &str = "fixture-pg-pass-3c9e1a7b52";

fn up(test: &str) -> Option<Stack> {
    let stack = Stack::copy_fixture(test, "live-postgres")?;
    stack.compose_ok(&["up", "-d", "--wait"]);
    Some(stack)
}

/// `psql -c SQL` from the api container over the network (SCRAM), the password passed by environment.
fn psql(stack: &Stack, password: &str, sql: &str) -> (bool, String) {
    psql_from(stack, "api", password, sql)
}

/// `psql -c SQL` as role app in database app from `service`'s container to the service `db` over the network
/// (SCRAM), the password passed by environment: success, and the answer or the error.
pub(super) fn psql_from(stack: &Stack, service: &str, password: &str, sql: &str) -> (bool, String) {
    let api = stack.container_id(service);
    let out = Command::new("docker")
        .args(["exec", "-e", &format!("PGPASSWORD={password}"), &api])
        .args(["psql", "-X", "-w", "-tA", "-h", "db", "-U", "app", "-d", "app", "-c", sql])
        .output()
        .expect("docker exec psql");
    (out.status.success(), format!("{}{}", lossy(&out.stdout).trim(), lossy(&out.stderr).trim()))
}

/// Local `psql` in the database container (trusted socket): no password needed.
fn psql_local(stack: &Stack, sql: &str) -> String {
    let db = stack.container_id("db");
    let out = Command::new("docker")
        .args(["exec", "-u", "postgres", &db, "psql", "-X", "-tA", "-U", "app", "-d", "app", "-c", sql])
        .output()
        .expect("docker exec psql");
    assert!(out.status.success(), "psql: {}", lossy(&out.stderr));
    lossy(&out.stdout).trim().to_string()
}

fn env_value(stack: &Stack) -> String {
    let text = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let line = text.lines().find_map(|l| l.strip_prefix("POSTGRES_PASSWORD=")).expect("POSTGRES_PASSWORD line");
    line.split(" #").next().unwrap_or(line).to_string()
}

fn all_state_text(stack: &Stack) -> String {
    let mut text = String::new();
    if let Ok(entries) = std::fs::read_dir(stack.dir().join(".secops")) {
        for entry in entries.flatten() {
            if entry.path().is_file() && !entry.file_name().to_string_lossy().contains("backup") {
                text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
    }
    text
}

#[test]
fn postgres_rotation_keeps_data_new_logs_in_old_refused_consumers_recreated_and_no_plaintext_logged() {
    let Some(stack) = up("pg-rotate") else { return };
    assert!(psql(&stack, OLD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    let before_env = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let (api, worker, db) = (stack.container_id("api"), stack.container_id("worker"), stack.container_id("db"));

    let dry = stack.secops(&["rotate", "postgres", "--dry-run"]);
    let plan = lossy(&dry.stdout);
    assert!(dry.status.success(), "{}", lossy(&dry.stderr));
    assert!(plan.contains("no second password") && plan.contains("role app in app"), "{plan}");

    let out = stack.secops(&["rotate", "postgres", "--yes"]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert!(out.status.success(), "rotate failed: {stderr}");
    let new = env_value(&stack);
    assert_ne!(new, OLD);
    // The env file differs only in the value's bytes (the comment and the URL in compose.yaml are untouched).
    assert_eq!(std::fs::read_to_string(stack.dir().join(".env")).expect(".env"), before_env.replace(OLD, &new));

    let (ok, answer) = psql(&stack, &new, "SELECT v FROM survivor");
    assert!(ok && answer == "yes", "new password or data: {answer}");
    let (ok, answer) = psql(&stack, OLD, "SELECT 1");
    assert!(!ok && answer.contains("password authentication failed"), "old password still logs in: {answer}");

    assert_ne!(stack.container_id("api"), api, "api not recreated");
    assert_ne!(stack.container_id("worker"), worker, "worker not recreated");
    assert_eq!(stack.container_id("db"), db, "the database must not be recreated");
    // The consumers run the new value, and it logs in. The database's own container keeps the old, init-only
    // POSTGRES_PASSWORD in its env (it was deliberately not recreated): the database accepts the file's value, so
    // that is in sync too, and status is clean after a rotation.
    let (code, status) = stack.status_json(&[]);
    for (service, key) in [("api", "DATABASE_URL"), ("worker", "PGPASSWORD"), ("db", "POSTGRES_PASSWORD")] {
        assert_eq!(super::stack::key(&status, service, key)["drift"], "in_sync", "{status:#}");
    }
    assert_eq!(super::stack::key(&status, "db", "POSTGRES_PASSWORD")["probe"]["result"], "ok", "{status:#}");
    assert_eq!(code, Some(0), "status is clean after a rotation: {status:#}");

    for secret in [OLD, new.as_str()] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret), "a value in our output");
        assert!(!all_state_text(&stack).contains(secret), "a value in the audit log");
    }
    let logs = Command::new("docker").args(["logs", &db]).output().expect("docker logs");
    let logs = format!("{}{}", lossy(&logs.stdout), lossy(&logs.stderr));
    assert!(logs.contains("ALTER ROLE"), "log_statement=all must have logged the change");
    assert!(!logs.contains(OLD) && !logs.contains(&new), "a plaintext password in the server log");
    assert_eq!(psql_local(&stack, "SELECT count(*) FROM survivor"), "1");
}

#[test]
fn status_reports_a_postgres_password_changed_in_the_env_file_only_as_rejected() {
    let Some(stack) = up("pg-status") else { return };
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    let text = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    std::fs::write(stack.dir().join(".env"), text.replace(OLD, "edited-by-hand-0f9e8d7c")).expect("write");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    let probe = super::stack::key(&status, "db", "POSTGRES_PASSWORD")["probe"].clone();
    assert_eq!(probe["result"], "rejected", "{status:#}");
}

#[test]
fn via_exec_recovers_a_postgres_whose_env_file_no_longer_logs_in() {
    let Some(stack) = up("pg-via-exec") else { return };
    // Someone changed the password in the database; the env file's value is refused now.
    psql_local(&stack, "ALTER ROLE app PASSWORD 'changed-elsewhere-77aa'");
    assert!(!psql(&stack, OLD, "SELECT 1").0);
    let refused = stack.secops(&["rotate", "postgres", "--yes", "--no-recreate"]);
    assert_eq!(refused.status.code(), Some(2), "{}", lossy(&refused.stderr));
    let out = stack.secops(&["rotate", "postgres", "--yes", "--via-exec"]);
    assert!(out.status.success(), "--via-exec failed: {}", lossy(&out.stderr));
    let new = env_value(&stack);
    assert!(psql(&stack, &new, "SELECT 1").0, "the env file's new value must log in");
    let (_, status) = stack.status_json(&[]);
    assert_eq!(super::stack::key(&status, "db", "POSTGRES_PASSWORD")["probe"]["result"], "ok", "{status:#}");
}

/// The end state every fault must reach: the env file's value logs in over the network, the data is there, no
/// journal is left. Returns the env file's value.
#[cfg(feature = "fault-injection")]
fn assert_consistent(stack: &Stack, case: &str) -> String {
    let value = env_value(stack);
    let (ok, answer) = psql(stack, &value, "SELECT v FROM survivor");
    assert!(ok && answer == "yes", "{case}: the env file's value does not log in or data lost: {answer}");
    assert!(!super::rotate::journal_exists(stack), "{case}: journal left");
    value
}

#[cfg(feature = "fault-injection")]
#[test]
fn postgres_rotation_aborted_at_every_step_resumes_or_rolls_back_and_survives_the_database_stopping() {
    use docker_secops::rotation::Step;
    let Some(stack) = up("pg-faults") else { return };
    assert!(psql(&stack, OLD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    let steps = [Step::Staged, Step::Set, Step::Tested, Step::Committed, Step::Recreated];
    for (i, step) in steps.into_iter().enumerate() {
        for mode in ["--resume", "--rollback"] {
            let case = format!("aborted after {step:?} ({i}), then {mode}");
            let before = env_value(&stack);
            let crashed = stack.secops_env(&["rotate", "postgres", "--yes"], &[("SECOPS_FAULT_AT", step.as_str())]);
            assert!(!crashed.status.success(), "{case}: the fault did not fire");
            let out = stack.secops(&["rotate", mode, "--yes"]);
            assert!(out.status.success(), "{case}: {}", lossy(&out.stderr));
            let after = assert_consistent(&stack, &case);
            assert_eq!(after == before, mode == "--rollback", "{case}");
        }
    }
    // The database stops right after `set`: nothing can finish or undo until it is back, then --resume completes.
    let crashed = stack.secops_env(&["rotate", "postgres", "--yes"], &[("SECOPS_FAULT_AT", Step::Set.as_str())]);
    assert!(!crashed.status.success(), "the fault did not fire");
    stack.compose_ok(&["stop", "db"]);
    let out = stack.secops(&["rotate", "--resume", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "resume with the database stopped: {}", lossy(&out.stderr));
    assert!(super::rotate::journal_exists(&stack), "the journal must be kept while the database is down");
    stack.compose_ok(&["up", "-d", "--wait", "db"]);
    let out = stack.secops(&["rotate", "--resume", "--yes"]);
    assert!(out.status.success(), "resume after the database came back: {}", lossy(&out.stderr));
    assert_consistent(&stack, "database stopped after set, then --resume");
}
