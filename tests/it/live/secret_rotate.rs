//! `rotate db_password` of a compose file secret against a live stack (tests/fixtures/live-pg-secret): a
//! PostgreSQL reading `POSTGRES_PASSWORD_FILE` and an app reading the same `/run/secrets/db_password`. The password
//! changes in the database through its store and in the file; both consumers are recreated (the rename is
//! invisible to a running container's bind mount); a crash at any step rolls back or resumes to a consistent state.

use std::os::unix::fs::PermissionsExt;
use std::process::Command;

use super::stack::{Stack, lossy};

const OLD: &str = "fixture-pg-secret-4b8e2d61c7";
const SECRET_FILE: &str = "db_password.txt";

fn up(test: &str) -> Option<Stack> {
    let stack = Stack::copy_fixture(test, "live-pg-secret")?;
    stack.compose_ok(&["up", "-d", "--wait"]);
    Some(stack)
}

/// The secret file's bytes.
fn secret_bytes(stack: &Stack) -> Vec<u8> {
    std::fs::read(stack.dir().join(SECRET_FILE)).expect("secret file")
}

/// The credential in the secret file (its one line).
fn secret_value(stack: &Stack) -> String {
    String::from_utf8(secret_bytes(stack)).expect("utf-8").trim_end_matches('\n').to_string()
}

/// `psql -c SQL` from the app container over the network (SCRAM), the password passed by environment.
fn psql(stack: &Stack, password: &str, sql: &str) -> (bool, String) {
    super::postgres::psql_from(stack, "app", password, sql)
}

/// What the running `service` container reads at `/run/secrets/db_password`.
fn mounted(stack: &Stack, service: &str) -> String {
    let id = stack.container_id(service);
    let out = Command::new("docker").args(["exec", &id, "cat", "/run/secrets/db_password"]).output().expect("exec");
    assert!(out.status.success(), "cat in {service}: {}", lossy(&out.stderr));
    lossy(&out.stdout).trim_end_matches('\n').to_string()
}

fn mode(stack: &Stack) -> u32 {
    std::fs::metadata(stack.dir().join(SECRET_FILE)).expect("stat").permissions().mode() & 0o7777
}

#[test]
fn rotating_a_file_secret_changes_database_and_file_recreates_both_consumers_and_keeps_the_data() {
    let Some(stack) = up("secret-rotate") else { return };
    assert!(psql(&stack, OLD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    // A mode other than the default, which the rotation must keep (the containers read the file through it).
    std::fs::set_permissions(stack.dir().join(SECRET_FILE), std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let (app, db) = (stack.container_id("app"), stack.container_id("db"));

    let dry = stack.secops(&["rotate", "db_password", "--dry-run", "--format", "json"]);
    assert!(dry.status.success(), "{}", lossy(&dry.stderr));
    let plan: serde_json::Value = serde_json::from_slice(&dry.stdout).expect("plan json");
    assert_eq!(plan["store"]["kind"], "postgres", "{plan:#}");
    assert_eq!(plan["edits"][0]["kind"], "secret-file", "{plan:#}");
    assert_eq!(plan["recreate"], serde_json::json!(["app", "db"]), "{plan:#}");
    assert_eq!(secret_value(&stack), OLD, "a dry run changes nothing");

    let out = stack.secops(&["rotate", "db_password", "--yes"]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert!(out.status.success(), "rotate failed: {stderr}");
    let new = secret_value(&stack);
    assert_ne!(new, OLD);
    assert_eq!(secret_bytes(&stack), format!("{new}\n").into_bytes(), "the trailing newline kept");
    assert_eq!(mode(&stack), 0o644, "the secret file keeps its mode");

    assert_ne!(stack.container_id("app"), app, "app not recreated");
    assert_ne!(stack.container_id("db"), db, "db not recreated: its mount still shows the old file");
    for service in ["app", "db"] {
        assert_eq!(mounted(&stack, service), new, "{service} reads the new secret");
    }
    let (ok, answer) = psql(&stack, &new, "SELECT v FROM survivor");
    assert!(ok && answer == "yes", "new password or data: {answer}");
    let (ok, answer) = psql(&stack, OLD, "SELECT 1");
    assert!(!ok && answer.contains("password authentication failed"), "old password still logs in: {answer}");

    let (code, status) = stack.status_json(&[]);
    for service in ["app", "db"] {
        assert_eq!(super::stack::key(&status, service, "db_password")["drift"], "in_sync", "{status:#}");
    }
    assert_eq!(code, Some(0), "status is clean after a rotation: {status:#}");
    for secret in [OLD, new.as_str()] {
        assert!(!stdout.contains(secret) && !stderr.contains(secret), "a value in our output");
    }
}

/// The end state every fault must reach: the file's value logs in over the network, the data is there, both
/// containers read the file's value, no journal is left.
#[cfg(feature = "fault-injection")]
fn assert_consistent(stack: &Stack, case: &str) -> String {
    let value = secret_value(stack);
    let (ok, answer) = psql(stack, &value, "SELECT v FROM survivor");
    assert!(ok && answer == "yes", "{case}: the secret file's value does not log in or data lost: {answer}");
    assert_eq!(mounted(stack, "app"), value, "{case}: app runs another value");
    assert!(!super::rotate::journal_exists(stack), "{case}: journal left");
    value
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_file_secret_rotation_aborted_at_every_step_resumes_or_rolls_back_the_file_byte_for_byte() {
    use docker_secops::rotation::Step;
    let Some(stack) = up("secret-faults") else { return };
    assert!(psql(&stack, OLD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    // No trailing newline: a rollback must give back exactly these bytes, a resume keep the ending (none).
    let file = stack.dir().join(SECRET_FILE);
    std::fs::write(&file, OLD).expect("write");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let steps = [Step::Staged, Step::Set, Step::Tested, Step::Committed, Step::Recreated];
    for (i, step) in steps.into_iter().enumerate() {
        for mode_flag in ["--rollback", "--resume"] {
            let case = format!("aborted after {step:?} ({i}), then {mode_flag}");
            let before = secret_bytes(&stack);
            let crashed = stack.secops_env(&["rotate", "db_password", "--yes"], &[("SECOPS_FAULT_AT", step.as_str())]);
            assert!(!crashed.status.success(), "{case}: the fault did not fire");
            let out = stack.secops(&["rotate", mode_flag, "--yes"]);
            assert!(out.status.success(), "{case}: {}", lossy(&out.stderr));
            let after = assert_consistent(&stack, &case);
            if mode_flag == "--rollback" {
                assert_eq!(secret_bytes(&stack), before, "{case}: the secret file restored byte for byte");
            } else {
                assert_ne!(after.as_bytes(), before.as_slice(), "{case}: resumed to a new value");
                assert_eq!(secret_bytes(&stack), after.as_bytes(), "{case}: the ending (none) kept");
            }
            assert_eq!(mode(&stack), 0o644, "{case}: mode kept");
        }
    }
}
