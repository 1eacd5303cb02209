//! MariaDB against a real server (secops-test/mariadb:10.11 on a named volume, general log on, root also by
//! unix_socket): the status probe, and rotations through the dual window of two `mysql_native_password` rules —
//! both passwords log in until the consumers run the new one, the other rules of the account are kept, no
//! plaintext reaches the general log — with crashes at every step and the database stopped mid-rotation.

#[cfg(feature = "fault-injection")]
use std::process::Output;
use std::process::{Command, Stdio};

use super::stack::{Stack, key, lossy};

const OLD_ROOT: &str = "fixture-root-pass-91ab2c3d4e";
const OLD_APP: &str = "fixture-maria-pass-6f7e8d9c0b";

fn up(test: &str) -> Option<Stack> {
    let stack = Stack::copy_fixture(test, "live-mariadb")?;
    stack.compose_ok(&["up", "-d", "--wait"]);
    Some(stack)
}

/// `mariadb -e SQL` over the network from the worker container as `user`, the password passed by environment.
fn sql(stack: &Stack, user: &str, password: &str, sql: &str) -> (bool, String) {
    let worker = stack.container_id("worker");
    let out = Command::new("docker")
        .args(["exec", "-e", &format!("MYSQL_PWD={password}"), &worker])
        .args(["mariadb", "-h", "mariadb", "-u", user, "-D", "app", "-N", "-B", "-e", sql])
        .output()
        .expect("docker exec mariadb");
    (out.status.success(), format!("{}{}", lossy(&out.stdout).trim(), lossy(&out.stderr).trim()))
}

#[cfg(feature = "fault-injection")]
/// `mariadb -e SQL` in the database container as the unix user root over the socket (the unix_socket rule).
fn socket_sql(stack: &Stack, sql: &str) -> (bool, String) {
    let db = stack.container_id("mariadb");
    let out = Command::new("docker")
        .args(["exec", &db, "mariadb", "--protocol=socket", "-uroot", "-N", "-B", "-e", sql])
        .output()
        .expect("docker exec mariadb");
    (out.status.success(), format!("{}{}", lossy(&out.stdout).trim(), lossy(&out.stderr).trim()))
}

fn env_value(stack: &Stack, key: &str) -> String {
    let text = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    text.lines().find_map(|l| l.strip_prefix(&format!("{key}="))).expect("key in .env").to_string()
}

#[cfg(feature = "fault-injection")]
fn journal_exists(stack: &Stack) -> bool {
    stack.dir().join(".secops/rotation.journal.json").exists()
}

#[cfg(feature = "fault-injection")]
/// Everything the rotation wrote in the state directory except the backups (which hold the old file by design).
fn state_text(stack: &Stack) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(stack.dir().join(".secops")).into_iter().flatten().flatten() {
        if entry.path().is_file() && !entry.file_name().to_string_lossy().contains("backup") {
            text.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
    }
    text
}

#[cfg(feature = "fault-injection")]
fn general_log(stack: &Stack) -> String {
    let db = stack.container_id("mariadb");
    let out = Command::new("docker")
        .args(["exec", &db, "cat", "/var/lib/mysql/general.log"])
        .output()
        .expect("docker exec cat");
    assert!(out.status.success(), "general log: {}", lossy(&out.stderr));
    lossy(&out.stdout)
}

#[cfg(feature = "fault-injection")]
/// `rotate MARIADB_ROOT_PASSWORD --yes`, paused at `committed` (consumers not recreated yet) until `during` ran.
fn rotate_root_pausing(stack: &Stack, during: impl FnOnce(&str)) -> Output {
    let marker = stack.dir().join(".paused");
    let child = crate::support::secops(stack.dir())
        .args(["rotate", "MARIADB_ROOT_PASSWORD", "--yes", "-p", &stack.project])
        .env("SECOPS_PAUSE_AT", "committed")
        .env("SECOPS_PAUSE_FILE", &marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    // The pause lasts until the marker is removed; the process gives up waiting after five minutes itself.
    while !marker.exists() {
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(stack.dir().join(".env").exists());
    }
    during(&env_value(stack, "MARIADB_ROOT_PASSWORD"));
    std::fs::remove_file(&marker).expect("release");
    child.wait_with_output().expect("ends")
}

#[cfg(feature = "fault-injection")]
#[test]
fn mariadb_root_rotation_keeps_data_and_other_rules_both_passwords_in_the_window_and_no_plaintext_logged() {
    let Some(stack) = up("maria-rotate") else { return };
    assert!(sql(&stack, "root", OLD_ROOT, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    let before = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let ids = [stack.container_id("api"), stack.container_id("admin"), stack.container_id("worker")];
    let out = rotate_root_pausing(&stack, |new| {
        // The dual window: both passwords log in, through every account row the network reaches.
        assert!(sql(&stack, "root", OLD_ROOT, "SELECT 1").0, "old password refused during the window");
        assert!(sql(&stack, "root", new, "SELECT 1").0, "new password refused during the window");
    });
    let stderr = lossy(&out.stderr);
    assert!(out.status.success(), "rotate: {stderr}");
    let new = env_value(&stack, "MARIADB_ROOT_PASSWORD");
    assert_ne!(new, OLD_ROOT);
    assert_eq!(sql(&stack, "root", &new, "SELECT v FROM survivor"), (true, "yes".to_string()), "data and login");
    assert!(!sql(&stack, "root", OLD_ROOT, "SELECT 1").0, "the old password must be refused after finish");
    // Read before the checks below, whose PASSWORD() call would put the value there itself.
    let log = general_log(&stack);
    assert!(log.contains("ALTER USER"), "the general log is on and saw the rotation");
    assert!(!log.contains(OLD_ROOT) && !log.contains(&new), "plaintext password in the general log");
    // root@localhost kept its unix_socket rule; both rows hold the new hash only.
    assert!(socket_sql(&stack, "SELECT 1").0, "unix_socket login lost");
    let (_, rules) = socket_sql(&stack, "SELECT Host, Priv FROM mysql.global_priv WHERE User = 'root' ORDER BY Host");
    let hash = socket_sql(&stack, &format!("SELECT PASSWORD('{new}')")).1;
    assert_eq!(rules.matches(&hash).count(), 2, "both root rows carry the new hash: {rules}");
    assert!(rules.contains("unix_socket"), "{rules}");
    assert_eq!(rules.matches("authentication_string").count(), 2, "no old hash left: {rules}");
    // Consumers of root's password are new containers; the app account's consumer was left alone.
    assert_ne!(stack.container_id("api"), ids[0], "api not recreated");
    assert_ne!(stack.container_id("admin"), ids[1], "admin not recreated");
    assert_eq!(stack.container_id("worker"), ids[2], "worker does not take root's password");
    // The env file differs only in the value's bytes (the URL in compose interpolates it).
    let after = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    assert_eq!(after.replace(&new, OLD_ROOT), before);
    let text = format!("{}{stderr}{}", lossy(&out.stdout), state_text(&stack));
    assert!(!text.contains(OLD_ROOT) && !text.contains(&new), "a secret in the output or state: {text}");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
}

#[test]
fn mariadb_status_probes_and_the_app_account_rotates_as_root_from_stdin_but_not_as_itself() {
    let Some(stack) = up("maria-app") else { return };
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    assert_eq!(key(&status, "mariadb", "MARIADB_PASSWORD")["probe"]["result"], "ok", "{status:#}");

    // The application account may not read or change its own authentication rules: refused, nothing changed.
    let before = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let out = stack.secops(&["rotate", "MARIADB_PASSWORD", "--yes"]);
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--admin-user root") && !stderr.contains(OLD_APP), "{stderr}");
    assert_eq!(std::fs::read_to_string(stack.dir().join(".env")).expect(".env"), before, "nothing may change");
    assert!(sql(&stack, "app", OLD_APP, "SELECT 1").0);

    let worker = stack.container_id("worker");
    let mut child = crate::support::secops(stack.dir())
        .args(["rotate", "MARIADB_PASSWORD", "--yes", "--admin-user", "root", "-p", &stack.project])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    use std::io::Write;
    child.stdin.take().expect("stdin").write_all(format!("{OLD_ROOT}\n").as_bytes()).expect("write");
    let out = child.wait_with_output().expect("ends");
    let stderr = lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains(OLD_ROOT), "{stderr}");
    let new = env_value(&stack, "MARIADB_PASSWORD");
    assert!(sql(&stack, "app", &new, "SELECT 1").0, "new app password refused");
    assert!(!sql(&stack, "app", OLD_APP, "SELECT 1").0, "old app password still accepted");
    assert_ne!(stack.container_id("worker"), worker, "worker not recreated");

    std::fs::write(stack.dir().join(".env"), before.replace(OLD_APP, "edited-by-hand-1a2b3c4d")).expect("write");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    assert_eq!(key(&status, "mariadb", "MARIADB_PASSWORD")["probe"]["result"], "rejected", "{status:#}");
}

#[cfg(feature = "fault-injection")]
/// The env file's root password logs in and reads the data; no journal is left.
fn assert_consistent(stack: &Stack, case: &str) -> String {
    let value = env_value(stack, "MARIADB_ROOT_PASSWORD");
    let (ok, answer) = sql(stack, "root", &value, "SELECT v FROM survivor");
    assert!(ok && answer == "yes", "{case}: the env file's value does not log in or data lost: {answer}");
    assert!(socket_sql(stack, "SELECT 1").0, "{case}: unix_socket login lost");
    assert!(!journal_exists(stack), "{case}: journal left");
    value
}

#[cfg(feature = "fault-injection")]
#[test]
fn mariadb_rotation_aborted_at_every_step_resumes_or_rolls_back_and_survives_the_database_stopping() {
    use docker_secops::rotation::Step;
    let Some(stack) = up("maria-faults") else { return };
    assert!(sql(&stack, "root", OLD_ROOT, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);
    let rotate = ["rotate", "MARIADB_ROOT_PASSWORD", "--yes"];
    let steps = [Step::Staged, Step::Set, Step::Tested, Step::Committed, Step::Recreated];
    for step in steps {
        for mode in ["--resume", "--rollback"] {
            let case = format!("aborted after {step:?}, then {mode}");
            let before = env_value(&stack, "MARIADB_ROOT_PASSWORD");
            let crashed = stack.secops_env(&rotate, &[("SECOPS_FAULT_AT", step.as_str())]);
            assert!(!crashed.status.success(), "{case}: the fault did not fire");
            let out = stack.secops(&["rotate", mode, "--yes"]);
            assert!(out.status.success(), "{case}: {}", lossy(&out.stderr));
            let after = assert_consistent(&stack, &case);
            assert_eq!(after == before, mode == "--rollback", "{case}");
            assert!(!sql(&stack, "root", if after == before { "x" } else { &before }, "SELECT 1").0, "{case}");
        }
    }
    // The database stops right after `set`: nothing can finish or undo until it is back, then --resume completes.
    let crashed = stack.secops_env(&rotate, &[("SECOPS_FAULT_AT", Step::Set.as_str())]);
    assert!(!crashed.status.success(), "the fault did not fire");
    stack.compose_ok(&["stop", "mariadb"]);
    let out = stack.secops(&["rotate", "--resume", "--yes"]);
    assert_eq!(out.status.code(), Some(2), "resume with the database stopped: {}", lossy(&out.stderr));
    assert!(journal_exists(&stack), "the journal must be kept while the database is down");
    stack.compose_ok(&["up", "-d", "--wait", "mariadb"]);
    let out = stack.secops(&["rotate", "--resume", "--yes"]);
    assert!(out.status.success(), "resume after the database came back: {}", lossy(&out.stderr));
    assert_consistent(&stack, "database stopped after set, then --resume");
}
