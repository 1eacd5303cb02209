//! Reading and appending the audit log.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::AuditEntry;
use crate::state_dir::{STATE_DIR_NAME, StateDir};

/// The state directory's name (see [`StateDir`]); older versions also kept one beside each env file.
pub const AUDIT_DIR: &str = STATE_DIR_NAME;
/// The audit log's file name inside [`AUDIT_DIR`].
pub const AUDIT_FILE: &str = "audit.jsonl";

/// The entries read from one or more audit logs.
#[derive(Debug, Clone, Default)]
pub struct AuditLog {
    pub entries: Vec<AuditEntry>,
    /// Lines that did not parse, as `path:line` (reported, not fatal: a log is evidence, not configuration).
    pub unreadable: Vec<String>,
}

impl AuditLog {
    /// Reads the logs of the state directory of every directory in `dirs` (each once); a missing log is an empty
    /// one. Pass the project directory (where the log lives) and the env files' directories (where versions before
    /// the one state directory per project kept it): old history keeps counting. The file an entry names is
    /// resolved against its log's project directory, so `file` is absolute in what is returned.
    pub fn read_dirs(dirs: &[&Path]) -> Self {
        let mut log = AuditLog::default();
        let mut seen: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let state = StateDir::of_project(dir);
            let path = state.audit_log();
            if seen.contains(&path) {
                continue;
            }
            seen.push(path.clone());
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                match serde_json::from_str::<AuditEntry>(line) {
                    Ok(mut entry) => {
                        entry.file = state.resolve(&entry.file).display().to_string();
                        log.entries.push(entry);
                    }
                    Err(_) => log.unreadable.push(format!("{}:{}", path.display(), i + 1)),
                }
            }
        }
        log
    }

    /// When `key` of `file` was last rotated successfully.
    pub fn last_rotation(&self, file: &Path, key: &str) -> Option<OffsetDateTime> {
        let file = file.display().to_string();
        self.entries
            .iter()
            .filter(|e| e.key == key && e.file == file && e.result == "ok")
            .filter_map(AuditEntry::timestamp)
            .max()
    }

    /// [`AuditLog::last_rotation`] of every (file, key) in the log, keyed by the file as displayed: one pass over
    /// the log for callers that ask about many keys (asking key by key is keys x log entries).
    pub fn last_rotations(&self) -> HashMap<(&str, &str), OffsetDateTime> {
        let mut last: HashMap<(&str, &str), OffsetDateTime> = HashMap::new();
        for entry in self.entries.iter().filter(|e| e.result == "ok") {
            let Some(at) = entry.timestamp() else { continue };
            let slot = last.entry((entry.file.as_str(), entry.key.as_str())).or_insert(at);
            *slot = (*slot).max(at);
        }
        last
    }

    /// Appends `entry` to the log in `state` (creating the directory with its `.gitignore`, and the log 0600), and
    /// fsyncs. `entry.file` is stored relative to the project directory when inside it: a project moved or
    /// checked out elsewhere keeps its history.
    pub fn append(state: &StateDir, entry: &AuditEntry) -> std::io::Result<PathBuf> {
        use std::os::unix::fs::OpenOptionsExt;
        state.create()?;
        let path = state.audit_log();
        let mut file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&path)?;
        let stored = AuditEntry { file: state.identity(Path::new(&entry.file)), ..entry.clone() };
        let line = serde_json::to_string(&stored).map_err(std::io::Error::other)? + "\n";
        file.write_all(line.as_bytes())?;
        file.sync_all()?;
        Ok(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(key: &str, time: &str, result: &str, file: &Path) -> AuditEntry {
        AuditEntry {
            time: time.into(),
            operator: "me".into(),
            host: "h".into(),
            file: file.display().to_string(),
            key: key.into(),
            store: "env".into(),
            old_fingerprint: None,
            new_fingerprint: "abcd1234".into(),
            services: vec![],
            duration_ms: 1,
            result: result.into(),
        }
    }

    #[test]
    fn appends_0600_and_finds_the_last_successful_rotation() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let env = dir.path().join(".env.prod");
        let state = StateDir::of_project(dir.path());
        AuditLog::append(&state, &entry("K", "2026-01-01T00:00:00Z", "ok", &env)).expect("append");
        AuditLog::append(&state, &entry("K", "2026-03-01T00:00:00Z", "ok", &env)).expect("append");
        AuditLog::append(&state, &entry("K", "2026-05-01T00:00:00Z", "rolled-back", &env)).expect("append");
        let path = dir.path().join(AUDIT_DIR).join(AUDIT_FILE);
        assert_eq!(std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777, 0o600);
        std::fs::OpenOptions::new().append(true).open(&path).and_then(|mut f| f.write_all(b"not json\n")).expect("w");
        let log = AuditLog::read_dirs(&[dir.path()]);
        assert_eq!(log.entries.len(), 3);
        assert_eq!(log.unreadable.len(), 1);
        let last = log.last_rotation(&env, "K").expect("rotated");
        assert_eq!(last.month(), time::Month::March);
        assert!(log.last_rotation(&env, "OTHER").is_none());
        let all = log.last_rotations();
        let file = env.display().to_string();
        assert_eq!(all.len(), 1);
        assert_eq!(all.get(&(file.as_str(), "K")), Some(&last));
    }

    #[test]
    fn a_moved_project_keeps_its_audit_history() {
        let from = tempfile::tempdir().expect("tempdir");
        let env = from.path().join("envs/.env.prod");
        AuditLog::append(&StateDir::of_project(from.path()), &entry("K", "2026-03-01T00:00:00Z", "ok", &env))
            .expect("append");
        let text = std::fs::read_to_string(StateDir::of_project(from.path()).audit_log()).expect("log");
        assert!(text.contains("\"file\":\"envs/.env.prod\""), "no absolute path as identity: {text}");
        let to = tempfile::tempdir().expect("tempdir");
        std::fs::rename(from.path().join(AUDIT_DIR), to.path().join(AUDIT_DIR)).expect("move the project");
        let log = AuditLog::read_dirs(&[to.path()]);
        assert!(log.last_rotation(&to.path().join("envs/.env.prod"), "K").is_some(), "{:?}", log.entries);
    }

    #[test]
    fn a_log_beside_an_env_file_from_older_versions_is_still_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let envs = dir.path().join("envs");
        let env = envs.join(".env.prod");
        std::fs::create_dir_all(envs.join(AUDIT_DIR)).expect("mkdir");
        let old = AuditEntry { file: env.display().to_string(), ..entry("K", "2026-02-01T00:00:00Z", "ok", &env) };
        let line = serde_json::to_string(&old).expect("json") + "\n";
        std::fs::write(envs.join(AUDIT_DIR).join(AUDIT_FILE), line).expect("legacy log");
        let log = AuditLog::read_dirs(&[dir.path(), envs.as_path()]);
        assert!(log.last_rotation(&env, "K").is_some());
    }
}
