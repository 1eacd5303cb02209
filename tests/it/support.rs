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
