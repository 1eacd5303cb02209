//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The built binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_docker-secops"))
}

/// A `Command` for the binary, run in `dir`.
pub fn secops(dir: &Path) -> Command {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir);
    cmd
}

/// Reports that the running test could not run here and returns without asserting anything: printed on the
/// test's stderr, and appended to the file named by `SECOPS_SKIP_LOG` (scripts/test.sh sets it), so the suite's
/// closing line counts the test as skipped, not passed. `reason` says what is missing.
#[allow(clippy::print_stderr)] // the notice is the point: cargo test shows a test's stderr
pub fn skip(reason: &str) {
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("?");
    eprintln!("skipped {test}: {reason}");
    if let Some(log) = std::env::var_os("SECOPS_SKIP_LOG") {
        use std::io::Write;
        let line = format!("{test}\t{reason}\n");
        let appended = std::fs::OpenOptions::new().create(true).append(true).open(&log);
        if let Err(e) = appended.and_then(|mut f| f.write_all(line.as_bytes())) {
            eprintln!("cannot record the skip in {}: {e}", log.to_string_lossy());
        }
    }
}

/// True when `docker` (the CLI binary) runs here; the tests that need it print a notice and return otherwise.
pub fn docker_cli_available() -> bool {
    Command::new("docker").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// A docker config directory with the plugin installed in it, the way install.sh does it.
pub fn plugin_config_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let plugins = dir.path().join("cli-plugins");
    std::fs::create_dir_all(&plugins).expect("mkdir cli-plugins");
    std::fs::copy(bin(), plugins.join("docker-secops")).expect("copy plugin");
    dir
}

/// Absolute path of the repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies the directory tree `src` to `dst` (files and directories only).
pub fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).expect("mkdir");
    for entry in std::fs::read_dir(src).expect("read fixture dir") {
        let entry = entry.expect("entry");
        let target = dst.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// The fingerprint of `value` under the key a run on the project in `dir` made (`dir/.secops/fingerprint.key`).
pub fn project_fingerprint(dir: &Path, value: &str) -> String {
    let path = dir.join(".secops").join(docker_secops::secret::KEY_FILE_NAME);
    let text = std::fs::read_to_string(&path).expect("the project's fingerprint key");
    docker_secops::secret::FingerprintKey::parse(&text, &path).expect("a key").fingerprint(value)
}
