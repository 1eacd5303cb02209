//! Broken and hostile files given where a compose or env file is expected.

use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::time::{Duration, Instant};

use super::tree_snapshot::TreeSnapshot;
use super::unprivileged::{NOBODY, Unprivileged, world_traversable_tempdir};
use super::{ENV, assert_refused, is_root, output_of, run};

const COMPOSE: &str = "services:\n  app:\n    image: app\n    env_file: app.env\n";

/// A project directory holding `compose.yaml` with `compose` and `app.env`.
fn project(compose: &[u8]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write compose");
    std::fs::write(dir.path().join("app.env"), ENV).expect("write env");
    dir
}

/// Runs `check` and `inventory` in `dir`, each refused with `needles` and leaving the tree unchanged.
fn check_and_inventory_refuse(dir: &Path, needles: &[&str]) {
    let before = TreeSnapshot::of(dir);
    for command in ["check", "inventory"] {
        assert_refused(&run(dir, &[command]), needles);
    }
    before.assert_unchanged(dir);
}

#[test]
fn malformed_yaml_names_file_line_and_column() {
    let dir = project(b"services:\n  app:\n    image: [unclosed\n");
    check_and_inventory_refuse(dir.path(), &["compose.yaml:3:12: invalid YAML"]);
}

#[test]
fn binary_garbage_as_compose_file_is_refused() {
    // Not UTF-8: refused on reading.
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8 | 0x80).collect();
    let dir = project(&garbage);
    check_and_inventory_refuse(dir.path(), &["compose.yaml", "not UTF-8"]);
    // UTF-8 but control characters and NULs: refused by the YAML parser with a position.
    let dir = project(b"\x00\x01\x02services:\x7f\n");
    check_and_inventory_refuse(dir.path(), &["compose.yaml:1:1: invalid YAML"]);
}

#[test]
fn yaml_alias_bomb_is_refused_fast() {
    // Nine levels of nine aliases: 9^9 (387 million) scalars once expanded.
    let mut text = String::from("x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        text.push_str(&format!("x-a{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("services:\n  app:\n    image: app\n    labels: *a9\n");
    let dir = project(text.as_bytes());
    let started = Instant::now();
    check_and_inventory_refuse(dir.path(), &["compose.yaml:", "alias replay limit"]);
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn deeply_nested_yaml_is_refused() {
    let text = format!("services: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    let dir = project(text.as_bytes());
    check_and_inventory_refuse(dir.path(), &["compose.yaml:1:", "invalid YAML"]);
}

/// Writes a 200 MB env file of real-looking lines at `path`.
fn write_200_mb_env(path: &Path) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).expect("create"));
    file.write_all(ENV.as_bytes()).expect("write");
    let line = format!("FILLER_{}=x\n", "Y".repeat(88));
    for _ in 0..(200 << 20) / line.len() {
        file.write_all(line.as_bytes()).expect("write");
    }
    file.flush().expect("flush");
}

/// Peak resident memory of running the binary in `dir` with `args`, in KiB, when `/usr/bin/time` exists.
fn peak_rss_kib(dir: &Path, args: &[&str]) -> Option<u64> {
    let out = std::process::Command::new("/usr/bin/time")
        .args(["-f", "peak-rss-kib=%M"])
        .arg(crate::support::bin())
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    stderr.lines().find_map(|l| l.strip_prefix("peak-rss-kib=")).and_then(|n| n.trim().parse().ok())
}

#[test]
fn env_file_of_200_mb_is_refused_with_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_200_mb_env(&dir.path().join("app.env"));
    let before = TreeSnapshot::of(dir.path());
    let rotate = ["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"];
    assert_refused(&run(dir.path(), &rotate), &["app.env", "larger than 16 MiB"]);
    std::fs::write(dir.path().join("compose.yaml"), COMPOSE).expect("compose");
    let before_check = TreeSnapshot::of(dir.path());
    assert_refused(&run(dir.path(), &["check"]), &["app.env", "larger than 16 MiB"]);
    assert_refused(&run(dir.path(), &["inventory"]), &["app.env", "larger than 16 MiB"]);
    before_check.assert_unchanged(dir.path());
    std::fs::remove_file(dir.path().join("compose.yaml")).expect("rm compose");
    before.assert_unchanged(dir.path());
    if let Some(kib) = peak_rss_kib(dir.path(), &rotate) {
        assert!(kib < 100 * 1024, "peak RSS {kib} KiB for a refused 200 MB file");
    }
}

#[test]
fn an_env_file_of_garbage_just_under_the_limit_is_linted_with_bounded_memory() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("compose.yaml"), COMPOSE).expect("compose");
    let mut file = std::io::BufWriter::new(std::fs::File::create(dir.path().join("app.env")).expect("create"));
    // 8 MiB of lines compose rejects (a key with a space), about 780,000 of them.
    for i in 0..(8 << 20) / 11 {
        writeln!(file, "x y{:07}", i % 10_000_000).expect("write");
    }
    file.flush().expect("flush");
    drop(file);
    let before = TreeSnapshot::of(dir.path());
    let out = run(dir.path(), &["check", "--only", "env-syntax"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("more lines from here on cannot be parsed either"),
        "{}",
        &stdout[stdout.len().saturating_sub(500)..]
    );
    assert!(stdout.contains("1001 errors"), "the first 1000 are listed, the rest counted in one");
    before.assert_unchanged(dir.path());
    if let Some(kib) = peak_rss_kib(dir.path(), &["check", "--only", "env-syntax"]) {
        // Listing every bad line took about 75 bytes of RSS per line (1.2 GB for 16 MiB).
        assert!(kib < 200 * 1024, "peak RSS {kib} KiB for an 8 MiB env file");
    }
}

#[test]
fn a_fifo_as_env_or_compose_file_is_refused_instead_of_blocking() {
    let dir = tempfile::tempdir().expect("tempdir");
    let status = std::process::Command::new("mkfifo").arg(dir.path().join("app.env")).status().expect("mkfifo");
    assert!(status.success());
    std::fs::write(dir.path().join("compose.yaml"), COMPOSE).expect("compose");
    let started = Instant::now();
    let rotate = run(dir.path(), &["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"]);
    assert_refused(&rotate, &["app.env", "not a regular file"]);
    let check = run(dir.path(), &["check", "--format", "json"]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("not a regular file"), "{check:?}");
    std::fs::remove_file(dir.path().join("compose.yaml")).expect("rm");
    let status = std::process::Command::new("mkfifo").arg(dir.path().join("compose.yaml")).status().expect("mkfifo");
    assert!(status.success());
    assert_refused(&run(dir.path(), &["check", "-f", "compose.yaml"]), &["compose.yaml", "not a regular file"]);
    // Nothing waited for a writer that never comes.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}

#[test]
fn directory_as_env_file_is_not_reported_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("app.env")).expect("mkdir");
    let before = TreeSnapshot::of(dir.path());
    let out = run(dir.path(), &["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"]);
    let stderr = assert_refused(&out, &["app.env", "Is a directory"]);
    assert!(!stderr.contains("not found"), "{stderr}");
    before.assert_unchanged(dir.path());
}

#[test]
fn directory_as_compose_file_is_refused() {
    let dir = project(COMPOSE.as_bytes());
    std::fs::create_dir(dir.path().join("compose.d")).expect("mkdir");
    let before = TreeSnapshot::of(dir.path());
    for command in ["check", "inventory"] {
        assert_refused(&run(dir.path(), &[command, "-f", "compose.d"]), &["compose.d", "Is a directory"]);
    }
    before.assert_unchanged(dir.path());
}

#[test]
fn permission_denied_is_refused() {
    // Root reads files whatever their permission bits: as root, the binary runs as `nobody` on root's 0600 files.
    let Some(nobody) = unprivileged() else { return };
    let run_as = |dir: &Path, args: &[&str]| run_maybe_as(&nobody, dir, args);
    // A directory the user owns (as root: chowned to nobody) holding an env file the user cannot read.
    let setup = |dir: &Path| {
        if nobody.is_some() {
            std::os::unix::fs::chown(dir, Some(NOBODY), Some(NOBODY)).expect("chown dir to nobody");
        }
        let env = dir.join("app.env");
        let mode = if nobody.is_some() { 0o600 } else { 0o000 };
        std::fs::set_permissions(&env, std::fs::Permissions::from_mode(mode)).expect("chmod");
        env
    };
    let new_dir = || if nobody.is_some() { world_traversable_tempdir() } else { tempfile::tempdir().expect("tempdir") };

    let dir = new_dir();
    std::fs::write(dir.path().join("compose.yaml"), COMPOSE).expect("write compose");
    std::fs::write(dir.path().join("app.env"), ENV).expect("write env");
    let env = setup(dir.path());
    let before = TreeSnapshot::of(dir.path());
    for command in ["check", "inventory"] {
        assert_refused(&run_as(dir.path(), &[command]), &["app.env", "Permission denied"]);
    }
    before.assert_unchanged(dir.path());
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o600)).expect("chmod back");

    let offline = new_dir();
    std::fs::write(offline.path().join("app.env"), ENV).expect("write env");
    let env = setup(offline.path());
    let before = TreeSnapshot::of(offline.path());
    let out = run_as(offline.path(), &["rotate", "KEY", "--env-file", "app.env", "--no-recreate", "--yes"]);
    assert_refused(&out, &["app.env", "Permission denied"]);
    before.assert_unchanged(offline.path());
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o600)).expect("chmod back");
}

/// As root, the binary under test as `nobody` (root reads any file whatever its bits); as another user, `Some(None)`
/// (run it directly). `None`, with a notice, when running as root and setpriv cannot switch to nobody here.
#[allow(clippy::print_stderr)] // the skip notice goes to the test's stderr, where cargo test shows it
fn unprivileged() -> Option<Option<Unprivileged>> {
    match is_root().then(Unprivileged::new) {
        None => Some(None),
        Some(Some(nobody)) => Some(Some(nobody)),
        Some(None) => {
            crate::support::skip("running as root, and setpriv cannot run the binary as nobody here");
            None
        }
    }
}

fn run_maybe_as(nobody: &Option<Unprivileged>, dir: &Path, args: &[&str]) -> std::process::Output {
    match nobody {
        Some(nobody) => output_of(nobody.command(dir, args)),
        None => run(dir, args),
    }
}

#[test]
fn an_env_file_behind_a_directory_one_cannot_enter_is_unreadable_not_missing() {
    let Some(nobody) = unprivileged() else { return };
    let dir = if nobody.is_some() { world_traversable_tempdir() } else { tempfile::tempdir().expect("tempdir") };
    if nobody.is_some() {
        std::os::unix::fs::chown(dir.path(), Some(NOBODY), Some(NOBODY)).expect("chown dir to nobody");
    }
    std::fs::write(dir.path().join("compose.yaml"), COMPOSE.replace("app.env", "private/app.env")).expect("compose");
    let private = dir.path().join("private");
    std::fs::create_dir(&private).expect("mkdir");
    std::fs::write(private.join("app.env"), ENV).expect("write env");
    // As root the directory stays root's (nobody cannot enter a 0700 one); otherwise it has no bits at all.
    let mode = if nobody.is_some() { 0o700 } else { 0o000 };
    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(mode)).expect("chmod dir");

    let check = run_maybe_as(&nobody, dir.path(), &["check", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&check.stdout).expect("check JSON");
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.iter().any(|f| f["check"] == "env-file-missing"), "reported missing: {report:#}");
    assert!(
        findings
            .iter()
            .any(|f| f["check"] == "env-syntax"
                && f["message"].as_str().is_some_and(|m| m.contains("Permission denied"))),
        "{report:#}"
    );
    let inventory = run_maybe_as(&nobody, dir.path(), &["inventory"]);
    assert!(String::from_utf8_lossy(&inventory.stdout).contains("UNREADABLE"), "{inventory:?}");
    let rotate = run_maybe_as(
        &nobody,
        dir.path(),
        &["rotate", "KEY", "--env-file", "private/app.env", "--no-recreate", "--yes"],
    );
    let stderr = assert_refused(&rotate, &["app.env", "Permission denied"]);
    assert!(!stderr.contains("not found"), "{stderr}");

    std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o700)).expect("chmod back");
    assert_eq!(std::fs::read_to_string(private.join("app.env")).expect("env"), ENV, "nothing changed");
}
