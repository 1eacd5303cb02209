//! Replaces a file atomically: readers see the old bytes or the new ones, never a mix, even across a crash.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::EnvError;

/// A step of `write_atomic`, named in errors; tests inject a failure at one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Step {
    Resolve,
    Create,
    Write,
    Permissions,
    Fsync,
    Rename,
    FsyncDir,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Resolve => "resolve symlink",
            Step::Create => "create temporary file",
            Step::Write => "write temporary file",
            Step::Permissions => "copy mode and owner",
            Step::Fsync => "fsync",
            Step::Rename => "rename over the target",
            Step::FsyncDir => "fsync directory",
        }
    }
}

/// Writes `bytes` to `path` atomically: a temporary file in the same directory (O_EXCL, 0600) is written,
/// given the target's mode and owner (owner only where permitted; new files stay 0600), fsynced, renamed
/// over the target, and the directory is fsynced.
///
/// On failure the temporary file is removed and the target is untouched (except when only the final
/// directory fsync fails: the new content is in place, its durability unknown). When `path` is a symlink the
/// write goes to the file it resolves to, so the link itself is kept.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), EnvError> {
    write_atomic_failing_at(path, bytes, None)
}

/// `write_atomic`, failing on purpose at `fail_at` (tests only pass `Some`).
pub(crate) fn write_atomic_failing_at(path: &Path, bytes: &[u8], fail_at: Option<Step>) -> Result<(), EnvError> {
    // An immediate exit on a second signal waits for this write: no temp file holding a secret is left behind.
    let _writing = crate::interrupt::critical_section();
    let fail = |step: Step, source: io::Error| EnvError::Write { path: path.to_path_buf(), step: step.name(), source };
    let check = |step: Step| match fail_at {
        Some(failing) if failing == step => Err(io::Error::other("injected failure")),
        _ => Ok(()),
    };
    let target = resolve(path).and_then(|t| check(Step::Resolve).map(|()| t)).map_err(|e| fail(Step::Resolve, e))?;
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let existing = fs::metadata(&target).ok();
    let (temp_path, mut file) = create_temp(&dir, &target).map_err(|e| fail(Step::Create, e))?;
    let result = (|| {
        file.write_all(bytes).and_then(|()| check(Step::Write)).map_err(|e| (Step::Write, e))?;
        copy_ownership(&file, existing.as_ref())
            .and_then(|()| check(Step::Permissions))
            .map_err(|e| (Step::Permissions, e))?;
        file.sync_all().and_then(|()| check(Step::Fsync)).map_err(|e| (Step::Fsync, e))?;
        drop(file);
        check(Step::Rename).and_then(|()| fs::rename(&temp_path, &target)).map_err(|e| (Step::Rename, e))
    })();
    if let Err((step, source)) = result {
        // Best effort: the error being reported matters more than a leftover we could not remove.
        let _ = fs::remove_file(&temp_path);
        return Err(fail(step, source));
    }
    File::open(&dir)
        .and_then(|d| d.sync_all())
        .and_then(|()| check(Step::FsyncDir))
        .map_err(|e| fail(Step::FsyncDir, e))
}

/// The file a write must replace: `path` itself, or what it links to (so the link survives the rename).
fn resolve(path: &Path) -> io::Result<PathBuf> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path),
        _ => Ok(path.to_path_buf()),
    }
}

/// Creates a uniquely named 0600 file beside `target` with O_EXCL, retrying on a name collision.
fn create_temp(dir: &Path, target: &Path) -> io::Result<(PathBuf, File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
    let mut attempt = 0;
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.secops-tmp.{}.{nanos}.{n}", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp) {
            Ok(file) => return Ok((temp, file)),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists && attempt < 16 => attempt += 1,
            Err(err) => return Err(err),
        }
    }
}

/// Gives `file` the owner and mode of the file it replaces (owner first: chown may clear mode bits), or
/// exactly 0600 when there is none. A failed chown is ignored when not root: only root may give files away.
fn copy_ownership(file: &File, existing: Option<&fs::Metadata>) -> io::Result<()> {
    let Some(meta) = existing else {
        return file.set_permissions(fs::Permissions::from_mode(0o600));
    };
    if let Err(err) = std::os::unix::fs::fchown(file, Some(meta.uid()), Some(meta.gid()))
        && rustix::process::geteuid().is_root()
    {
        return Err(err);
    }
    file.set_permissions(fs::Permissions::from_mode(meta.mode() & 0o7777))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .expect("read_dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn keeps_mode_of_existing_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        fs::write(&path, "A=1\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
        write_atomic(&path, b"A=2\n").expect("write_atomic");
        assert_eq!(fs::read(&path).expect("read"), b"A=2\n");
        assert_eq!(mode(&path), 0o640);
        assert_eq!(names(dir.path()), [".env"], "no temporary file left");
    }

    #[test]
    fn new_file_is_0600() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("new.env");
        write_atomic(&path, b"A=1\n").expect("write_atomic");
        assert_eq!(mode(&path), 0o600);
    }

    #[test]
    fn keeps_owner_when_root() {
        if !rustix::process::geteuid().is_root() {
            return;
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        fs::write(&path, "A=1\n").expect("write");
        std::os::unix::fs::chown(&path, Some(4321), Some(4322)).expect("chown");
        write_atomic(&path, b"A=2\n").expect("write_atomic");
        let meta = fs::metadata(&path).expect("metadata");
        assert_eq!((meta.uid(), meta.gid()), (4321, 4322));
    }

    #[test]
    fn missing_parent_fails_without_creating_anything() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("no-such-dir").join(".env");
        let err = write_atomic(&path, b"A=1\n").expect_err("must fail");
        assert!(err.to_string().contains("create temporary file"), "{err}");
        assert!(names(dir.path()).is_empty());
    }

    #[test]
    fn injected_failures_leave_original_and_no_temp_file() {
        for step in [Step::Write, Step::Permissions, Step::Fsync, Step::Rename] {
            let dir = tempfile::tempdir().expect("tempdir");
            let path = dir.path().join(".env");
            fs::write(&path, "A=1\n").expect("write");
            let err = write_atomic_failing_at(&path, b"A=2\n", Some(step)).expect_err("injected");
            assert!(err.to_string().contains(step.name()), "{err}");
            assert_eq!(fs::read(&path).expect("read"), b"A=1\n", "{step:?}");
            assert_eq!(names(dir.path()), [".env"], "{step:?}");
        }
    }

    #[test]
    fn unwritable_directory_leaves_original_untouched() {
        if rustix::process::geteuid().is_root() {
            return; // root ignores directory permissions; covered by the injected failures above
        }
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        fs::write(&path, "A=1\n").expect("write");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o500)).expect("chmod dir");
        let result = write_atomic(&path, b"A=2\n");
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o700)).expect("restore");
        assert!(result.is_err());
        assert_eq!(fs::read(&path).expect("read"), b"A=1\n");
    }

    #[test]
    fn writes_through_a_symlink_and_keeps_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        fs::create_dir(dir.path().join("real")).expect("mkdir");
        let real = dir.path().join("real").join("app.env");
        fs::write(&real, "A=1\n").expect("write");
        let link = dir.path().join(".env");
        std::os::unix::fs::symlink("real/app.env", &link).expect("symlink");
        write_atomic(&link, b"A=2\n").expect("write_atomic");
        assert!(fs::symlink_metadata(&link).expect("lstat").file_type().is_symlink());
        assert_eq!(fs::read(&real).expect("read"), b"A=2\n");
        assert_eq!(names(&dir.path().join("real")), ["app.env"]);
    }
}
