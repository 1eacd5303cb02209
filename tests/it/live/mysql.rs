//! `rotate MYSQL_ROOT_PASSWORD` against the official MySQL 8 image (`RETAIN CURRENT PASSWORD`, then `DISCARD OLD
//! PASSWORD`): run where a `mysql` image is present (`SECOPS_MYSQL_IMAGE`, default `mysql:8`), reported as skipped
//! otherwise; no registry is reached here and no MySQL server package exists in the ones that are.

use std::process::Command;

use super::stack::{Stack, lossy};

const OLD: &str = "fixture-mysql-root-4b7c1d9e2f";

fn image() -> String {
    std::env::var("SECOPS_MYSQL_IMAGE").unwrap_or_else(|_| "mysql:8".to_string())
}

/// `mysql -e SQL` as root over the network from the api container.
fn sql(stack: &Stack, password: &str, sql: &str) -> bool {
    let api = stack.container_id("api");
    Command::new("docker")
        .args(["exec", "-e", &format!("MYSQL_PWD={password}"), &api])
        .args(["mariadb", "-h", "mysql", "-u", "root", "-D", "app", "-N", "-B", "-e", sql])
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn mysql_rotation_retains_the_current_password_until_finish_and_logs_no_plaintext() {
    let present =
        Command::new("docker").args(["image", "inspect", &image()]).output().is_ok_and(|o| o.status.success());
    if !present {
        crate::support::skip(&format!("no {} image here (set SECOPS_MYSQL_IMAGE to a local one)", image()));
        return;
    }
    let Some(stack) = Stack::copy_fixture("mysql-rotate", "live-mysql") else { return };
    stack.compose_ok(&["up", "-d", "--wait"]);
    assert!(sql(&stack, OLD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')"));
    let api = stack.container_id("api");
    let out = stack.secops(&["rotate", "MYSQL_ROOT_PASSWORD", "--yes"]);
    let stderr = lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let env = std::fs::read_to_string(stack.dir().join(".env")).expect(".env");
    let new = env.lines().find_map(|l| l.strip_prefix("MYSQL_ROOT_PASSWORD=")).expect("key").to_string();
    assert_ne!(new, OLD);
    assert!(sql(&stack, &new, "SELECT v FROM survivor"), "new password refused or data lost");
    assert!(!sql(&stack, OLD, "SELECT 1"), "the old password must be discarded after finish");
    assert_ne!(stack.container_id("api"), api, "api not recreated");
    assert!(!stderr.contains(OLD) && !stderr.contains(&new), "{stderr}");
    let db = stack.container_id("mysql");
    let log = Command::new("docker").args(["exec", &db, "cat", "/var/lib/mysql/general.log"]).output().expect("log");
    let log = lossy(&log.stdout);
    assert!(log.contains("RETAIN CURRENT PASSWORD"), "the general log saw the rotation");
    assert!(!log.contains(OLD) && !log.contains(&new), "MySQL must rewrite the password out of its general log");
}
