//! Runs the binary as `nobody` through util-linux `setpriv`, so that permission-bit cases also run when the suite
//! runs as root (root reads a 0600 file whoever owns it).

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::bin;

/// uid and gid of `nobody` / `nogroup` on Debian.
pub const NOBODY: u32 = 65534;

/// `setpriv` arguments that drop to `nobody` for good: real and effective ids, and no supplementary groups.
const SETPRIV: [&str; 3] = ["--reuid=65534", "--regid=65534", "--clear-groups"];

/// The binary under test, runnable as `nobody`.
pub struct Unprivileged {
    bin: PathBuf,
    /// Holds the copy of the binary when the build's own one is not reachable by `nobody`.
    _copy: Option<tempfile::TempDir>,
}

impl Unprivileged {
    /// `None` when `setpriv` is missing or cannot switch to `nobody` here (no CAP_SETUID, or a user namespace
    /// that does not map uid 65534).
    pub fn new() -> Option<Unprivileged> {
        if runs_as_nobody(&bin()) {
            return Some(Unprivileged { bin: bin(), _copy: None });
        }
        // The target directory may be below a directory `nobody` cannot enter (/root, a 0700 home).
        let copy = world_traversable_tempdir();
        let path = copy.path().join("docker-secops");
        std::fs::copy(bin(), &path).ok()?;
        runs_as_nobody(&path).then_some(Unprivileged { bin: path, _copy: Some(copy) })
    }

    /// A command running the binary as `nobody` in `dir`, with `args`.
    pub fn command(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new("setpriv");
        cmd.args(SETPRIV).arg(&self.bin).args(args).current_dir(dir);
        cmd
    }
}

/// A temporary directory under /tmp (not `$TMPDIR`, which may sit below a private directory) with mode 0755, so
/// that `nobody` can reach what is inside.
pub fn world_traversable_tempdir() -> tempfile::TempDir {
    let dir = tempfile::Builder::new().prefix("secops-nobody-").tempdir_in("/tmp").expect("tempdir in /tmp");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod 755");
    dir
}

fn runs_as_nobody(bin: &Path) -> bool {
    Command::new("setpriv").args(SETPRIV).arg(bin).arg("version").output().is_ok_and(|o| o.status.success())
}
