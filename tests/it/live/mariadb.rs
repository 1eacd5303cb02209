//! MariaDB against a real server (secops-test/mariadb:10.11 on a named volume): the status probe, and a rotation
//! refused before anything changes while the MariaDB store cannot rotate yet.

use super::stack::{Stack, key, lossy};

const OLD: &str = "fixture-maria-pass-6f7e8d9c0b";

fn up(test: &str) -> Option<Stack> {
    let stack = Stack::copy_fixture(test, "live-mariadb")?;
    stack.compose_ok(&["up", "-d", "--wait"]);
    Some(stack)
}

#[test]
fn mariadb_status_probes_the_app_login_and_a_rotation_is_refused_without_changing_anything() {
    let Some(stack) = up("maria-status") else { return };
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    assert_eq!(key(&status, "mariadb", "MARIADB_PASSWORD")["probe"]["result"], "ok", "{status:#}");

    let before = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let out = stack.secops(&["rotate", "MARIADB_PASSWORD", "--yes"]);
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not supported yet") && !stderr.contains(OLD), "{stderr}");
    assert_eq!(std::fs::read_to_string(stack.dir().join(".env")).expect(".env"), before, "nothing may change");

    std::fs::write(stack.dir().join(".env"), before.replace(OLD, "edited-by-hand-1a2b3c4d")).expect("write");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    assert_eq!(key(&status, "mariadb", "MARIADB_PASSWORD")["probe"]["result"], "rejected", "{status:#}");
}
