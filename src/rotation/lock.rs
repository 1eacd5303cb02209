//! One rotation per project at a time: an exclusive lock file naming its holder; a dead holder's lock is taken over.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Who holds a lock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockHolder {
    pub pid: u32,
    pub host: String,
    pub started: String,
    pub key: String,
}

/// Why a lock could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another rotation is running: pid {} on {} since {} (rotating {}); lock file {}",
        .holder.pid, .holder.host, .holder.started, .holder.key, .path.display()
    )]
    Held { path: PathBuf, holder: LockHolder },
    #[error("cannot create lock {}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// A held lock; dropping it releases it.
#[derive(Debug)]
pub struct RotationLock {
    path: PathBuf,
    /// Set when a stale lock of a dead process was taken over.
    pub recovered_from: Option<LockHolder>,
}

impl RotationLock {
    /// Takes the lock at `path` for `key`. A lock whose holder is a dead process on this host is stale: it is taken
    /// over and reported in `recovered_from`. A live holder's lock (or one from another host) blocks.
    pub fn acquire(path: &Path, key: &str) -> Result<Self, LockError> {
        let io = |source| LockError::Io { path: path.to_path_buf(), source };
        if let Some(dir) = path.parent() {
            // The lock's directory is the state directory: created with its `.gitignore`.
            crate::state_dir::StateDir::at(dir).create().map_err(io)?;
        }
        let me = LockHolder { pid: std::process::id(), host: hostname(), started: now_rfc3339(), key: key.to_string() };
        let mut recovered_from = None;
        for _ in 0..2 {
            // An immediate exit on a second signal waits: never an empty lock file that no pid can be read from.
            let _writing = crate::interrupt::critical_section();
            match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
                Ok(mut file) => {
                    let text = serde_json::to_string(&me).map_err(std::io::Error::other).map_err(io)?;
                    file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(io)?;
                    return Ok(RotationLock { path: path.to_path_buf(), recovered_from });
                }
                Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => {
                    let holder = read_holder(path);
                    match holder {
                        Some(h) if h.host == me.host && !pid_alive(h.pid) => {
                            std::fs::remove_file(path).map_err(io)?;
                            recovered_from = Some(h);
                        }
                        Some(h) => return Err(LockError::Held { path: path.to_path_buf(), holder: h }),
                        // Unreadable and not touched for a while: a crash between creating and writing it (the
                        // write takes microseconds). Taken over, reported like a dead holder.
                        None if modified_before(path, UNREADABLE_GRACE) => {
                            std::fs::remove_file(path).map_err(io)?;
                            let started = "an unreadable lock file".to_string();
                            recovered_from =
                                Some(LockHolder { pid: 0, host: me.host.clone(), started, key: "?".into() });
                        }
                        // A lock file being written right now: treat as held, never guess.
                        None => {
                            let unknown = LockHolder { pid: 0, host: "?".into(), started: "?".into(), key: "?".into() };
                            return Err(LockError::Held { path: path.to_path_buf(), holder: unknown });
                        }
                    }
                }
                Err(err) => return Err(io(err)),
            }
        }
        Err(io(std::io::Error::other("lock kept reappearing")))
    }

    /// The holder of the lock at `path` when it is alive on this host (a rotation is running right now). `None`
    /// when there is no lock, it is unreadable, or its holder is dead (a crash left it).
    pub fn live_holder(path: &Path) -> Option<LockHolder> {
        read_holder(path).filter(|h| h.host != hostname() || pid_alive(h.pid))
    }

    /// Where the lock lives.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for RotationLock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// How old an unreadable lock file must be to count as left by a crash rather than being written right now.
const UNREADABLE_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// True when `path` was last modified more than `age` ago.
fn modified_before(path: &Path, age: std::time::Duration) -> bool {
    std::fs::metadata(path).and_then(|m| m.modified()).is_ok_and(|t| t.elapsed().is_ok_and(|elapsed| elapsed > age))
}

fn read_holder(path: &Path) -> Option<LockHolder> {
    serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()
}

fn pid_alive(pid: u32) -> bool {
    let Some(pid) = rustix::process::Pid::from_raw(pid as i32) else { return false };
    // Signal 0 checks existence; EPERM means it exists but belongs to someone else.
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        Err(err) => err == rustix::io::Errno::PERM,
    }
}

/// This machine's host name.
pub fn hostname() -> String {
    rustix::system::uname().nodename().to_string_lossy().into_owned()
}

/// Now, as RFC 3339 UTC to the second (`2026-05-01T10:00:00Z`): the form every report prints times in.
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0).unwrap_or(now).format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_acquire_names_the_holder_and_drop_releases() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join(".secops/rotation.lock");
        let first = RotationLock::acquire(&path, "REDIS_PASSWORD").expect("first");
        let err = RotationLock::acquire(&path, "JWT_SECRET_KEY").expect_err("held");
        let text = err.to_string();
        assert!(text.contains(&format!("pid {}", std::process::id())) && text.contains("REDIS_PASSWORD"), "{text}");
        drop(first);
        RotationLock::acquire(&path, "JWT_SECRET_KEY").expect("free again");
    }

    #[test]
    fn the_live_holder_is_named_only_while_its_process_runs() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rotation.lock");
        assert_eq!(RotationLock::live_holder(&path), None);
        let lock = RotationLock::acquire(&path, "K").expect("lock");
        assert_eq!(RotationLock::live_holder(&path).map(|h| h.pid), Some(std::process::id()));
        drop(lock);
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let dead = child.id();
        child.wait().expect("wait");
        let stale = LockHolder { pid: dead, host: hostname(), started: "2026-01-01T00:00:00Z".into(), key: "K".into() };
        std::fs::write(&path, serde_json::to_string(&stale).expect("json")).expect("write");
        assert_eq!(RotationLock::live_holder(&path), None, "a crash's lock is no running rotation");
    }

    #[test]
    fn a_dead_holder_is_recovered_with_its_identity() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rotation.lock");
        let mut child = std::process::Command::new("true").spawn().expect("spawn");
        let dead = child.id();
        child.wait().expect("wait");
        let stale = LockHolder { pid: dead, host: hostname(), started: "2026-01-01T00:00:00Z".into(), key: "K".into() };
        std::fs::write(&path, serde_json::to_string(&stale).expect("json")).expect("write");
        let lock = RotationLock::acquire(&path, "K").expect("recovers");
        assert_eq!(lock.recovered_from, Some(stale));
    }

    #[test]
    fn an_empty_lock_file_is_held_while_fresh_and_taken_over_once_old() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("rotation.lock");
        let file = std::fs::File::create(&path).expect("empty lock, as a crash between create and write leaves");
        assert!(RotationLock::acquire(&path, "K").is_err(), "a lock being written right now is held");
        let old = std::time::SystemTime::now() - 2 * UNREADABLE_GRACE;
        file.set_modified(old).expect("age it");
        let lock = RotationLock::acquire(&path, "K").expect("taken over");
        assert_eq!(lock.recovered_from.as_ref().map(|h| h.pid), Some(0));
    }
}
