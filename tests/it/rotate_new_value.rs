//! `rotate --new-from-stdin`: the new value comes from stdin (a vault, a policy), is judged, and never printed.

use std::io::Write;
use std::process::Stdio;

use crate::support::secops;

const OLD: &str = "Q9vT2mXk7pLw4ZrH8nB6yC1dFg5sJe3u";

fn rotate(dir: &std::path::Path, value: &str, extra: &[&str]) -> std::process::Output {
    let mut child = secops(dir)
        .args(["rotate", "API_TOKEN", "--env-file", ".env", "--no-recreate", "--yes", "--new-from-stdin"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawns");
    child.stdin.take().expect("stdin").write_all(format!("{value}\n").as_bytes()).expect("write");
    child.wait_with_output().expect("runs")
}

#[test]
fn new_from_stdin_writes_the_given_value_and_never_prints_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), format!("API_TOKEN={OLD}\n")).expect("write");
    let new = "Vq3xT9mK2pL8wZr4Hn6bYc1dFg7sJe5u";
    let out = rotate(dir.path(), new, &[]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join(".env")).expect("read"), format!("API_TOKEN={new}\n"));
    let printed = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        !printed.contains(new) && printed.contains(&crate::support::project_fingerprint(dir.path(), new)),
        "{printed}"
    );
    let audit = std::fs::read_to_string(dir.path().join(".secops/audit.jsonl")).expect("audit");
    assert!(!audit.contains(new));
}

#[test]
fn new_from_stdin_refuses_a_weak_value_unless_allow_weak() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), format!("API_TOKEN={OLD}\n")).expect("write");
    let out = rotate(dir.path(), "password123", &[]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is weak") && err.contains("--allow-weak") && !err.contains("password123"), "{err}");
    assert_eq!(std::fs::read_to_string(dir.path().join(".env")).expect("read"), format!("API_TOKEN={OLD}\n"));
    // Nothing staged for a refused value: the state directory holds at most the project's fingerprint key.
    let state: Vec<String> = std::fs::read_dir(dir.path().join(".secops"))
        .map(|d| d.map(|e| e.expect("entry").file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    assert!(state.iter().all(|n| n == ".gitignore" || n == "fingerprint.key"), "nothing staged: {state:?}");
    let out = rotate(dir.path(), "password123", &["--allow-weak"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read_to_string(dir.path().join(".env")).expect("read"), "API_TOKEN=password123\n");
}
