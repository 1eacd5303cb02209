//! Reading and appending the audit log.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use time::OffsetDateTime;

use super::AuditEntry;

/// Directory beside an env file that holds docker-secops' state (audit log, backups, journals, locks).
pub const AUDIT_DIR: &str = ".secops";
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
    /// Reads the logs of every directory in `dirs` (each once); a missing log is an empty one.
    pub fn read_dirs(dirs: &[&Path]) -> Self {
        let mut log = AuditLog::default();
        let mut seen: Vec<PathBuf> = Vec::new();
        for dir in dirs {
            let path = dir.join(AUDIT_DIR).join(AUDIT_FILE);
            if seen.contains(&path) {
                continue;
            }
            seen.push(path.clone());
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
                match serde_json::from_str::<AuditEntry>(line) {
                    Ok(entry) => log.entries.push(entry),
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

    /// Appends `entry` to the log beside `env_file` (creating `.secops/` 0700 and the log 0600), and fsyncs.
    pub fn append(env_file: &Path, entry: &AuditEntry) -> std::io::Result<PathBuf> {
        use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
        let dir = env_file.parent().unwrap_or(Path::new(".")).join(AUDIT_DIR);
        std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&dir)?;
        let path = dir.join(AUDIT_FILE);
        let mut file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&path)?;
        let line = serde_json::to_string(entry).map_err(std::io::Error::other)? + "\n";
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
        AuditLog::append(&env, &entry("K", "2026-01-01T00:00:00Z", "ok", &env)).expect("append");
        AuditLog::append(&env, &entry("K", "2026-03-01T00:00:00Z", "ok", &env)).expect("append");
        AuditLog::append(&env, &entry("K", "2026-05-01T00:00:00Z", "rolled-back", &env)).expect("append");
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
}
