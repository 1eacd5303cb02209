//! Filesystem conditions around the atomic write of an offline rotation: a symlinked env file, a read-only
//! filesystem, a full disk. The offline form (`rotate KEY --env-file FILE --no-recreate --yes`, no compose file)
//! needs no Docker.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::tmpfs::Tmpfs;
use super::tree_snapshot::TreeSnapshot;
use super::{ENV, assert_refused, is_root, run};

const ROTATE: [&str; 6] = ["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"];

/// A work directory `w/` (where the command runs and its `.secops` state goes) and a directory `t/` beside it
/// holding the real env file, which `w/app.env` links to.
fn linked_layout() -> tempfile::TempDir {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(root.path().join("w")).expect("mkdir w");
    std::fs::create_dir(root.path().join("t")).expect("mkdir t");
    std::os::unix::fs::symlink("../t/app.env", root.path().join("w/app.env")).expect("symlink");
    root
}

fn no_journal_left(work: &Path) {
    assert!(!work.join(".secops/rotation.journal.json").exists(), "an interrupted-rotation journal was left");
}

#[test]
fn symlinked_env_file_is_written_through_and_the_link_kept() {
    let root = linked_layout();
    let real = root.path().join("t/app.env");
    std::fs::write(&real, ENV).expect("write env");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    let out = run(&root.path().join("w"), &ROTATE);
    assert!(out.status.success(), "stderr: {}", String::from_utf8_lossy(&out.stderr));
    let link = root.path().join("w/app.env");
    assert!(std::fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink(), "the link was replaced");
    assert_eq!(std::fs::read_link(&link).expect("readlink"), Path::new("../t/app.env"));
    let text = std::fs::read_to_string(&real).expect("read");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "# app");
    assert!(lines[1].starts_with("KEY=") && lines[1] != "KEY=abcdefghijklmnop1234567890", "{text}");
    assert_eq!(lines[2], "OTHER=keep-me");
    assert_eq!(std::fs::metadata(&real).expect("stat").permissions().mode() & 0o777, 0o640, "mode kept");
    let names: Vec<_> =
        std::fs::read_dir(root.path().join("t")).expect("ls").map(|e| e.expect("e").file_name()).collect();
    assert_eq!(names, ["app.env"], "no temporary file beside the target");
    no_journal_left(&root.path().join("w"));
}

/// [`linked_layout`] with the env file's directory on a fresh 64k tmpfs holding the env file; `None` (with a
/// notice) where a tmpfs cannot be mounted.
#[allow(clippy::print_stderr)] // Skip notices go to the test's stderr.
fn linked_layout_on_tmpfs() -> Option<(tempfile::TempDir, Tmpfs)> {
    if !is_root() {
        crate::support::skip("mounting a tmpfs needs root");
        return None;
    }
    let root = linked_layout();
    let Some(tmpfs) = Tmpfs::mount(&root.path().join("t"), "64k") else {
        crate::support::skip("cannot mount a tmpfs here");
        return None;
    };
    std::fs::write(root.path().join("t/app.env"), ENV).expect("write env");
    Some((root, tmpfs))
}

#[test]
fn read_only_filesystem_is_refused_and_nothing_changes() {
    // The env file alone on a read-only filesystem (state goes beside the link, which is writable): the atomic
    // write itself fails.
    let Some((root, tmpfs)) = linked_layout_on_tmpfs() else { return };
    tmpfs.remount_read_only();
    let before = TreeSnapshot::of(&root.path().join("t"));
    let out = run(&root.path().join("w"), &ROTATE);
    assert_refused(&out, &["app.env", "cannot write env file", "Read-only file system"]);
    before.assert_unchanged(&root.path().join("t"));
    no_journal_left(&root.path().join("w"));
    drop(tmpfs);

    // The whole directory read-only: refused before anything is staged.
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(tmpfs) = Tmpfs::mount(dir.path(), "64k") else { return };
    std::fs::write(dir.path().join("app.env"), ENV).expect("write env");
    tmpfs.remount_read_only();
    let before = TreeSnapshot::of(dir.path());
    assert_refused(&run(dir.path(), &ROTATE), &["Read-only file system"]);
    before.assert_unchanged(dir.path());
}

#[test]
fn full_disk_during_commit_rolls_back_without_a_leftover_journal() {
    let Some((root, tmpfs)) = linked_layout_on_tmpfs() else { return };
    tmpfs.fill();
    let before = TreeSnapshot::of(&root.path().join("t"));
    let out = run(&root.path().join("w"), &ROTATE);
    assert_refused(&out, &["app.env", "cannot write env file", "No space left on device"]);
    // The original is intact and no temporary file is left on the full filesystem.
    before.assert_unchanged(&root.path().join("t"));
    // Regression: the rollback rewrote the unchanged file, failed on the full disk too, and left a journal that
    // blocked every later rotation.
    no_journal_left(&root.path().join("w"));
    let audit = std::fs::read_to_string(root.path().join("w/.secops/audit.jsonl")).expect("audit log");
    assert!(audit.contains("\"result\":\"rolled-back\""), "{audit}");
}
