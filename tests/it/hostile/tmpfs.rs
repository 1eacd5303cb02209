//! A small tmpfs mounted for one test (root only) and unmounted when dropped, even when the test panics.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs; `None` from `mount` means this machine cannot mount one here and the test is skipped.
pub struct Tmpfs {
    dir: PathBuf,
}

impl Tmpfs {
    /// Mounts a tmpfs of `size` (as `mount -o size=`, e.g. `64k`) on the existing directory `dir`.
    pub fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir)
            .status()
            .ok()?;
        status.success().then(|| Tmpfs { dir: dir.to_path_buf() })
    }

    /// Remounts it read-only.
    pub fn remount_read_only(&self) {
        let status = Command::new("mount").args(["-o", "remount,ro"]).arg(&self.dir).status().expect("mount runs");
        assert!(status.success(), "remount ro of {}", self.dir.display());
    }

    /// Fills it: writes zeros to `filler` until the filesystem has no space left.
    pub fn fill(&self) {
        use std::io::Write;
        let mut file = std::fs::File::create(self.dir.join("filler")).expect("create filler");
        let chunk = [0u8; 4096];
        while file.write_all(&chunk).is_ok() {}
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        // Lazy: a process still holding a file there must not keep the mount (and the test's temp dir) alive.
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}
