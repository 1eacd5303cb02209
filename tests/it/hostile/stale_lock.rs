//! The rotation lock during a real (offline) rotate: a stale lock of a dead process is taken over with a warning.

use super::{ENV, run};

#[test]
fn stale_lock_of_a_dead_pid_is_recovered_with_a_warning() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.env"), ENV).expect("write env");
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let dead = child.id();
    child.wait().expect("wait");
    let holder = serde_json::json!({
        "pid": dead, "host": docker_secops::rotation::hostname(), "started": "2026-01-01T00:00:00Z", "key": "KEY"
    });
    std::fs::create_dir(dir.path().join(".secops")).expect("mkdir");
    let lock = dir.path().join(".secops/rotation.lock");
    std::fs::write(&lock, holder.to_string()).expect("write stale lock");

    let out = run(dir.path(), &["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stderr: {stderr}");
    assert!(stderr.contains(&format!("took over a stale lock of dead pid {dead}")), "{stderr}");
    let text = std::fs::read_to_string(dir.path().join("app.env")).expect("read");
    assert!(!text.contains("KEY=abcdefghijklmnop1234567890") && text.contains("OTHER=keep-me"), "{text}");
    assert!(!lock.exists(), "the lock is released at the end");
}

#[test]
fn live_lock_blocks_an_offline_rotate_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("app.env"), ENV).expect("write env");
    let holder = serde_json::json!({
        "pid": std::process::id(), "host": docker_secops::rotation::hostname(),
        "started": "2026-01-01T00:00:00Z", "key": "KEY"
    });
    std::fs::create_dir(dir.path().join(".secops")).expect("mkdir");
    std::fs::write(dir.path().join(".secops/rotation.lock"), holder.to_string()).expect("write lock");
    let before = super::tree_snapshot::TreeSnapshot::of(dir.path());
    let out = run(dir.path(), &["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"]);
    super::assert_refused(&out, &["another rotation is running", &format!("pid {}", std::process::id())]);
    before.assert_unchanged(dir.path());
}
