//! Which fingerprint key a command uses: the shared `--fingerprint-key-file`, else the project's own
//! `<project>/.secops/fingerprint.key` (created 0600 on first use), else, where that cannot be written, a one-time
//! key and a note saying so.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::FingerprintKey;
use super::fingerprint_key::BadKeyFile;
use crate::state_dir::StateDir;

/// The file name of a project's key inside its state directory.
pub const KEY_FILE_NAME: &str = "fingerprint.key";

/// The key chosen, and a note for the user when it is a one-time key.
pub struct ProjectKey {
    pub key: FingerprintKey,
    /// Where the key is kept; `None` for a one-time key.
    pub file: Option<PathBuf>,
    /// Why no key could be kept (a read-only project), to print as a note.
    pub note: Option<String>,
}

/// A key that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the fingerprint key file {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error(transparent)]
    Bad(#[from] BadKeyFile),
}

impl ProjectKey {
    /// The key of the project whose state directory is `state`, or the one in `shared` when given, creating the
    /// project's when it has none ([`ProjectKey::existing`], then [`ProjectKey::create`]).
    pub fn choose(state: &StateDir, shared: Option<&Path>) -> Result<ProjectKey, KeyError> {
        Ok(match Self::existing(state, shared)? {
            Some(chosen) => chosen,
            None => Self::create(state),
        })
    }

    /// The key there is already, reading only: the one in `shared` (which must exist), else the project's; `None`
    /// when the project has none yet. An unreadable project key gives a one-time key and a note.
    pub fn existing(state: &StateDir, shared: Option<&Path>) -> Result<Option<ProjectKey>, KeyError> {
        if let Some(path) = shared {
            let key = read(path)?.ok_or_else(|| KeyError::Read {
                path: path.display().to_string(),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file (make one with `openssl rand -hex 32 > FILE; chmod 600 FILE`)",
                ),
            })?;
            return Ok(Some(ProjectKey { key, file: Some(path.to_path_buf()), note: None }));
        }
        let path = state.file(KEY_FILE_NAME);
        match read(&path) {
            Ok(Some(key)) => Ok(Some(ProjectKey { key, file: Some(path), note: None })),
            Ok(None) => Ok(None),
            Err(KeyError::Read { source, .. }) => Ok(Some(one_time(state, &source.to_string()))),
            Err(err) => Err(err),
        }
    }

    /// Creates the project's key (0600); where it cannot be written (read-only), a one-time key and a note:
    /// nothing is written, and its fingerprints will not match another run's.
    pub fn create(state: &StateDir) -> ProjectKey {
        let path = state.file(KEY_FILE_NAME);
        match create(state, &path) {
            Ok(key) => ProjectKey { key, file: Some(path), note: None },
            Err(err) => one_time(state, &err.to_string()),
        }
    }
}

fn one_time(state: &StateDir, why: &str) -> ProjectKey {
    ProjectKey {
        key: FingerprintKey::generate(),
        file: None,
        note: Some(format!(
            "cannot keep a fingerprint key in {} ({why}): this run's fingerprints and finding ids use a one-time key \
             and will not match another run's (--fingerprint-key-file FILE shares a key)",
            state.path().display()
        )),
    }
}

/// The key in `path`; `None` when there is no such file.
fn read(path: &Path) -> Result<Option<FingerprintKey>, KeyError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(FingerprintKey::parse(&text, path)?)),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(KeyError::Read { path: path.display().to_string(), source }),
    }
}

/// Writes a new key to `path` (0600) in one step: a temp file, synced, then linked into place, which fails when
/// another run created the key meanwhile (that key is then the one used).
fn create(state: &StateDir, path: &Path) -> std::io::Result<FingerprintKey> {
    state.create()?;
    let key = FingerprintKey::generate();
    let temp = state.file(&format!(".{KEY_FILE_NAME}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(&temp)?;
        file.write_all(key.to_file_text().as_bytes())?;
        file.sync_all()?;
        std::fs::hard_link(&temp, path)
    })();
    let _ = std::fs::remove_file(&temp);
    match result {
        Ok(()) => Ok(key),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => match read(path) {
            Ok(Some(key)) => Ok(key),
            _ => Err(err),
        },
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn the_project_key_is_created_once_0600_and_kept() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = StateDir::of_project(dir.path());
        let first = ProjectKey::choose(&state, None).expect("key");
        assert!(first.note.is_none());
        let path = state.file(KEY_FILE_NAME);
        assert_eq!(first.file.as_deref(), Some(path.as_path()));
        let mode = std::fs::metadata(&path).expect("key file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.trim().len(), 64);
        let second = ProjectKey::choose(&state, None).expect("key again");
        assert_eq!(second.key.fingerprint("v"), first.key.fingerprint("v"));
        // No temp file left behind.
        let names: Vec<_> = std::fs::read_dir(state.path()).expect("ls").map(|e| e.expect("e").file_name()).collect();
        assert_eq!(names.len(), 2, "{names:?}"); // .gitignore and the key
    }

    #[test]
    fn an_unwritable_state_dir_gets_a_one_time_key_and_a_note() {
        let dir = tempfile::tempdir().expect("tempdir");
        // `.secops` is a file: nothing can be created in it (as in a read-only project, even for root).
        std::fs::write(dir.path().join(".secops"), "").expect("write");
        let chosen = ProjectKey::choose(&StateDir::of_project(dir.path()), None).expect("falls back");
        assert!(chosen.file.is_none());
        assert!(chosen.note.as_deref().is_some_and(|n| n.contains("one-time key")), "{:?}", chosen.note);
        assert_eq!(std::fs::read(dir.path().join(".secops")).expect("untouched"), b"");
    }

    #[test]
    fn a_shared_key_file_must_exist_and_hold_a_key() {
        let dir = tempfile::tempdir().expect("tempdir");
        let state = StateDir::of_project(dir.path());
        let shared = dir.path().join("shared.key");
        let err = ProjectKey::choose(&state, Some(&shared)).err().expect("missing");
        assert!(err.to_string().contains("shared.key"), "{err}");
        std::fs::write(&shared, "not a key\n").expect("write");
        let err = ProjectKey::choose(&state, Some(&shared)).err().expect("bad");
        assert!(err.to_string().contains("not a fingerprint key"), "{err}");
        let key = FingerprintKey::generate();
        std::fs::write(&shared, key.to_file_text().as_bytes()).expect("write");
        let chosen = ProjectKey::choose(&state, Some(&shared)).expect("shared");
        assert_eq!(chosen.key.fingerprint("v"), key.fingerprint("v"));
        assert!(!state.path().exists(), "a shared key leaves the project untouched");
    }
}
