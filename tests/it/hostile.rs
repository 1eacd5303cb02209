//! Hostile and broken inputs, and filesystem faults: each is refused with a clear error (exit 2, naming the file)
//! and leaves every byte and mtime on disk as it was. Cases needing root (tmpfs mounts) print a notice and return
//! where they cannot run; permission-bit cases run as `nobody` through `setpriv` when the suite runs as root.

mod filesystem;
mod inputs;
mod stale_lock;
mod tmpfs;
mod tree_snapshot;
mod unprivileged;

use std::path::Path;
use std::process::{Command, Output};

use crate::support::secops;

/// Runs the binary in `dir` with `args`, with no compose variables leaking in from the test's environment.
fn run(dir: &Path, args: &[&str]) -> Output {
    let mut cmd = secops(dir);
    cmd.args(args);
    output_of(cmd)
}

/// Runs `cmd` with no compose variables leaking in from the test's environment.
fn output_of(mut cmd: Command) -> Output {
    cmd.env_remove("COMPOSE_FILE")
        .env_remove("COMPOSE_PROJECT_NAME")
        .env_remove("COMPOSE_PROFILES")
        .output()
        .expect("runs")
}

/// Asserts `out` is a usage/runtime error (exit 2) whose stderr contains each of `needles`, and returns stderr.
fn assert_refused(out: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "stderr lacks {needle:?}: {stderr}");
    }
    stderr
}

/// True when running as root: permission bits do not stop root, and only root may mount a tmpfs here.
fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// The env file most cases rotate: one secret and a neighbour that must never change.
const ENV: &str = "# app\nKEY=abcdefghijklmnop1234567890\nOTHER=keep-me\n";
