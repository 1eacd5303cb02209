//! Creates a file that must not exist yet, atomically: readers (and a crash) see no file or the whole file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use super::EnvError;

/// Writes `bytes` to a new 0600 file at `path`: a temporary file beside it is written and fsynced, then
/// hard-linked to `path` (which fails, leaving anything already there untouched, when `path` exists: a rename
/// would replace it), the temporary name is removed and the directory fsynced.
///
/// An existing `path` is reported as [`io::ErrorKind::AlreadyExists`] in the `link` step.
pub fn create_new_atomic(path: &Path, bytes: &[u8]) -> Result<(), EnvError> {
    let _writing = crate::interrupt::critical_section();
    let fail = |step: &'static str, source: io::Error| EnvError::Write { path: path.to_path_buf(), step, source };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.secops-new.{}", std::process::id()));
    let result = (|| {
        let mut file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(&temp)
            .map_err(|e| ("create temporary file", e))?;
        // The mode given at creation is filtered by the umask; 0600 is what an env file of secrets must have.
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600)).map_err(|e| ("set mode 0600", e))?;
        file.write_all(bytes).map_err(|e| ("write temporary file", e))?;
        file.sync_all().map_err(|e| ("fsync", e))?;
        fs::hard_link(&temp, path).map_err(|e| ("link to the new name", e))
    })();
    // Best effort: the temporary name goes either way (after a link the data lives on under `path`).
    let _ = fs::remove_file(&temp);
    result.map_err(|(step, e)| fail(step, e))?;
    File::open(&dir).and_then(|d| d.sync_all()).map_err(|e| fail("fsync directory", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_0600_and_never_replaces() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env.local");
        create_new_atomic(&path, b"A=1\n").expect("creates");
        assert_eq!(fs::read(&path).expect("read"), b"A=1\n");
        assert_eq!(fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        let err = create_new_atomic(&path, b"A=2\n").expect_err("exists");
        assert!(matches!(&err, EnvError::Write { source, .. } if source.kind() == io::ErrorKind::AlreadyExists));
        assert_eq!(fs::read(&path).expect("read"), b"A=1\n", "the first file is untouched");
        let names: Vec<_> = fs::read_dir(dir.path()).expect("ls").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, [".env.local"], "no temporary file left");
    }
}
