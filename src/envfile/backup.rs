//! Timestamped, never-overwritten backup copies of an env file, made before it is edited.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use time::OffsetDateTime;
use time::macros::format_description;

use super::EnvError;
use crate::state_dir::StateDir;

/// Copies `path` to `backups/<file name>.<UTC yyyymmddThhmmssZ>` (then `.1`, `.2`, ... when that name is taken)
/// in the project's state directory `state`, and returns the backup's path.
///
/// The directories are created 0700 (the state directory with its `.gitignore`) and the copy 0600, whatever the
/// original's mode: a backup holds the same secrets but must never widen who can read them. The copy is written
/// to a temporary file, fsynced, then hard-linked to its final name, which fails rather than replace an existing
/// backup.
pub fn backup(path: &Path, state: &StateDir) -> Result<PathBuf, EnvError> {
    let fail = |step: &'static str| move |source| EnvError::Backup { path: path.to_path_buf(), step, source };
    let bytes = fs::read(path).map_err(fail("read original"))?;
    let dir = state.backups();
    state.create_sub(&dir).map_err(fail("create backup directory"))?;
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))
        .map_err(fail("name backup"))?
        .to_string_lossy()
        .into_owned();
    let stamp = OffsetDateTime::now_utc()
        .format(format_description!("[year][month][day]T[hour][minute][second]Z"))
        .map_err(|e| io::Error::other(e.to_string()))
        .map_err(fail("format timestamp"))?;

    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let temp = dir.join(format!(".{name}.{stamp}.{}.{n}.tmp", std::process::id()));
    // An immediate exit on a second signal waits until the temporary copy is linked and removed.
    let _writing = crate::interrupt::critical_section();
    let written = OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp).and_then(|mut file| {
        file.write_all(&bytes)?;
        // The original's modification time, so that a rollback can give it back with the bytes.
        if let Ok(modified) = fs::metadata(path).and_then(|m| m.modified()) {
            file.set_modified(modified)?;
        }
        file.sync_all()
    });
    if let Err(err) = written {
        let _ = fs::remove_file(&temp);
        return Err(fail("write backup")(err));
    }
    let linked = link_unique(&temp, &dir, &format!("{name}.{stamp}"));
    let _ = fs::remove_file(&temp);
    let target = linked.map_err(fail("name backup"))?;
    fs::File::open(&dir).and_then(|d| d.sync_all()).map_err(fail("fsync backup directory"))?;
    Ok(target)
}

/// Hard-links `temp` to `dir/base`, or `dir/base.1`, `dir/base.2`, ...: the first name not yet taken.
fn link_unique(temp: &Path, dir: &Path, base: &str) -> io::Result<PathBuf> {
    for n in 0..10_000u32 {
        let candidate = if n == 0 { dir.join(base) } else { dir.join(format!("{base}.{n}")) };
        match fs::hard_link(temp, &candidate) {
            Ok(()) => return Ok(candidate),
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => continue,
            Err(err) => return Err(err),
        }
    }
    Err(io::Error::new(io::ErrorKind::AlreadyExists, "too many backups in the same second"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn state(dir: &Path) -> StateDir {
        StateDir::of_project(dir)
    }

    fn mode(path: &Path) -> u32 {
        fs::metadata(path).expect("metadata").permissions().mode() & 0o7777
    }

    #[test]
    fn copies_with_0600_into_a_0700_directory() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("app.env");
        fs::write(&path, "SECRET=x\n").expect("write");
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).expect("chmod");
        let copy = backup(&path, &state(dir.path())).expect("backup");
        assert_eq!(fs::read(&copy).expect("read"), b"SECRET=x\n");
        assert_eq!(mode(&copy), 0o600);
        assert_eq!(mode(&dir.path().join(".secops/backups")), 0o700);
        assert_eq!(mode(&dir.path().join(".secops")), 0o700);
        assert!(dir.path().join(".secops/.gitignore").is_file(), "backups are git-ignored from the start");
        let leftovers: Vec<_> = fs::read_dir(dir.path().join(".secops/backups")).expect("ls").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left");
    }

    #[test]
    fn name_is_file_name_dot_utc_timestamp() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        fs::write(&path, "A=1\n").expect("write");
        let copy = backup(&path, &state(dir.path())).expect("backup");
        assert_eq!(copy.parent(), Some(dir.path().join(".secops/backups").as_path()));
        let name = copy.file_name().expect("name").to_string_lossy().into_owned();
        let stamp = name.strip_prefix(".env.").expect("prefix");
        let shape = stamp.chars().map(|c| if c.is_ascii_digit() { '9' } else { c }).collect::<String>();
        assert_eq!(shape, "99999999T999999Z", "{name}");
    }

    #[test]
    fn backups_in_the_same_second_get_distinct_names() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".env");
        fs::write(&path, "A=1\n").expect("write");
        let copies: Vec<PathBuf> = (0..3).map(|_| backup(&path, &state(dir.path())).expect("backup")).collect();
        assert_ne!(copies[0], copies[1]);
        assert_ne!(copies[1], copies[2]);
        assert_ne!(copies[0], copies[2]);
        for copy in &copies {
            assert_eq!(fs::read(copy).expect("read"), b"A=1\n");
        }
        // Three calls almost always share a second; when they do, the later ones carry `.1`, `.2`.
        let first = copies[0].to_string_lossy().into_owned();
        if copies[1].to_string_lossy().starts_with(&first) {
            assert_eq!(copies[1].to_string_lossy(), format!("{first}.1"));
        }
    }

    #[test]
    fn missing_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = backup(&dir.path().join("gone.env"), &state(dir.path())).expect_err("missing");
        assert!(err.to_string().contains("gone.env"), "{err}");
    }
}
