//! Applying a plan's edits to its env files and secret files (commit) and putting the backups back (rollback).

use std::path::{Path, PathBuf};

use super::{EditKind, Journal, RotationError};
use crate::envfile::{EnvDocument, backup, write_atomic};
use crate::inventory::replace_password;
use crate::project::SecretFile;

/// The distinct files a plan edits, in edit order.
pub fn files_of(journal: &Journal) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = Vec::new();
    for edit in &journal.plan.edits {
        if !files.contains(&edit.file) {
            files.push(edit.file.clone());
        }
    }
    files
}

/// Backs up every file the plan edits (0600, timestamped) and returns the backups in `files_of` order.
pub fn backup_all(journal: &Journal) -> Result<Vec<PathBuf>, RotationError> {
    let state = journal.plan.state();
    files_of(journal).iter().map(|f| backup(f, &state).map_err(RotationError::EnvFile)).collect()
}

/// Writes the new value into every edited file, atomically, file by file. Idempotent: a file that already holds
/// the new value is left as it is, so `--resume` can run it again. A file changed by someone else since the plan
/// (its hash differs and it does not hold the new value) is refused before anything is written.
pub fn commit(journal: &Journal) -> Result<(), RotationError> {
    let mut staged: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for file in files_of(journal) {
        let planned = journal.plan.file_hashes.iter().find(|(p, _)| *p == file).map(|(_, h)| h.as_str());
        if is_secret_file(journal, &file) {
            let secret = read_secret_file(&file)?;
            // A secret file holds nothing but the value: one that holds the new value is done.
            if secret.value() == journal.new.expose() {
                continue;
            }
            if planned.is_some_and(|h| h != secret.content_hash()) {
                return Err(RotationError::ChangedSincePlan(file));
            }
            staged.push((file.clone(), secret.with_value(journal.new.expose())));
            continue;
        }
        let doc = EnvDocument::read(&file).map_err(RotationError::EnvFile)?;
        let already = doc.get(&journal.plan.key).is_some_and(|e| e.value.as_deref() == Some(journal.new.expose()));
        let bytes = edited(journal, &file, doc.clone())?.to_bytes();
        // Committed before (a resumed rotation): nothing left to change, even in a file without the rotated key.
        let present = journal.plan.edits.iter().filter(|e| e.file == file).all(|e| doc.get(&e.key).is_some());
        if (file == journal.plan.primary_file && already) || (present && bytes == doc.to_bytes()) {
            continue;
        }
        if planned.is_some_and(|h| h != doc.content_hash()) && !already {
            return Err(RotationError::ChangedSincePlan(file));
        }
        staged.push((file.clone(), bytes));
    }
    for (file, bytes) in staged {
        // Atomic (temp, fsync, rename) and keeping mode and owner: a secret file is bind-mounted into containers
        // that read it as the host file's owner and mode allow.
        write_atomic(&file, &bytes).map_err(RotationError::EnvFile)?;
    }
    Ok(())
}

/// True when the plan edits `file` as a whole secret file.
pub fn is_secret_file(journal: &Journal, file: &Path) -> bool {
    journal.plan.edits.iter().any(|e| e.file == file && e.whole_file())
}

fn read_secret_file(file: &Path) -> Result<SecretFile, RotationError> {
    SecretFile::read(file).map_err(|e| RotationError::Io(file.to_path_buf(), e))
}

fn edited(journal: &Journal, file: &Path, mut doc: EnvDocument) -> Result<EnvDocument, RotationError> {
    let (old, new) = (journal.file_old.expose(), journal.new.expose());
    for edit in journal.plan.edits.iter().filter(|e| e.file == file) {
        let Some(current) = doc.get(&edit.key).and_then(|e| e.value.clone()) else { continue };
        let value = match edit.kind {
            EditKind::Embedded => replace_password(&current, old, new),
            EditKind::Version => journal.plan.version_of(&edit.key).map_or(current.clone(), |(version, _)| version),
            EditKind::Value | EditKind::SecretFile => new.to_string(),
        };
        if value != current {
            doc.set(&edit.key, &value).map_err(RotationError::EnvFile)?;
        }
    }
    if let (Some(previous), true) = (&journal.plan.keep_previous, file == journal.plan.primary_file) {
        doc.set(previous, old).map_err(RotationError::EnvFile)?;
    }
    Ok(doc)
}

/// Puts the old value back in every edited file without losing anyone else's edit:
/// - a file that still holds its backup's bytes is not rewritten (after a commit that failed on a full disk,
///   rewriting it would fail the same way and leave a journal behind for a file that never changed);
/// - a file that holds exactly what the commit wrote gets its backup back, atomically;
/// - a file that someone else changed too (before the commit, which then refused it, or after) keeps their
///   changes: only the rotated keys that still hold the new value get the old one back. (An edit made in the
///   instant between this read and the rename can still be lost: the rotation lock binds only docker-secops.)
pub fn restore(journal: &Journal) -> Result<(), RotationError> {
    for (file, backup) in files_of(journal).iter().zip(&journal.backups) {
        let original = std::fs::read(backup).map_err(|e| RotationError::Io(backup.clone(), e))?;
        let current = match std::fs::read(file) {
            Ok(current) => current,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                write_atomic(file, &original).map_err(RotationError::EnvFile)?;
                continue;
            }
            Err(e) => return Err(RotationError::Io(file.clone(), e)),
        };
        if current == original {
            continue;
        }
        if is_secret_file(journal, file) {
            // Back to the backup's bytes when the file holds the new value; a value someone else wrote since is
            // theirs and stays.
            let value = String::from_utf8(current).ok().map(SecretFile::from_text);
            if value.is_some_and(|v| v.value() == journal.new.expose()) {
                write_atomic(file, &original).map_err(RotationError::EnvFile)?;
                keep_modified(backup, file);
            }
            continue;
        }
        let before = EnvDocument::parse(file, &original).map_err(RotationError::EnvFile)?;
        if current == edited(journal, file, before.clone())?.to_bytes() {
            write_atomic(file, &original).map_err(RotationError::EnvFile)?;
            keep_modified(backup, file);
            continue;
        }
        let mut doc = EnvDocument::parse(file, &current).map_err(RotationError::EnvFile)?;
        if reverted(journal, file, &before, &mut doc)? {
            write_atomic(file, &doc.to_bytes()).map_err(RotationError::EnvFile)?;
        }
    }
    Ok(())
}

/// A file restored byte for byte gets its modification time back too (the backup kept it), so that `status`
/// does not call it newer than what was deployed from it (a Swarm secret object, a container). Best effort: a
/// time that cannot be set changes nothing about the content.
fn keep_modified(backup: &Path, file: &Path) {
    if let Ok(modified) = std::fs::metadata(backup).and_then(|m| m.modified()) {
        let _ = std::fs::File::open(file).and_then(|f| f.set_modified(modified));
    }
}

/// Sets each rotated key of `file` that holds the new value (or embeds it) back to the old, and a `--keep-previous`
/// key that holds the old value back to what it held `before`; true if anything changed.
fn reverted(
    journal: &Journal,
    file: &Path,
    before: &EnvDocument,
    doc: &mut EnvDocument,
) -> Result<bool, RotationError> {
    let (old, new) = (journal.file_old.expose(), journal.new.expose());
    let value_of = |doc: &EnvDocument, key: &str| doc.get(key).and_then(|e| e.value.clone());
    let mut changes: Vec<(String, String)> = Vec::new();
    for edit in journal.plan.edits.iter().filter(|e| e.file == file) {
        let Some(current) = value_of(doc, &edit.key) else { continue };
        let value = match edit.kind {
            EditKind::Embedded => replace_password(&current, new, old),
            EditKind::Version => match journal.plan.version_of(&edit.key) {
                Some((version, before)) if current == version => before.to_string(),
                _ => continue,
            },
            EditKind::Value | EditKind::SecretFile if current == new => old.to_string(),
            EditKind::Value | EditKind::SecretFile => continue,
        };
        changes.push((edit.key.clone(), value));
    }
    if let (Some(previous), true) = (&journal.plan.keep_previous, file == journal.plan.primary_file)
        && value_of(doc, previous).as_deref() == Some(old)
        && let Some(earlier) = value_of(before, previous)
    {
        // (A key the commit added cannot be taken out again: it keeps the old value, which is in force again.)
        changes.push((previous.clone(), earlier));
    }
    let mut changed = false;
    for (key, value) in changes {
        if value_of(doc, &key).as_deref() != Some(value.as_str()) {
            doc.set(&key, &value).map_err(RotationError::EnvFile)?;
            changed = true;
        }
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rotation::{PlanOptions, plan_offline};
    use crate::secret::Secret;

    const ENV: &str = "KEY=abcdefghijklmnop1234567890\nOTHER=1\n";

    /// A staged journal for rotating `KEY` of `dir/app.env` (written with `ENV`) to a fixed new value.
    fn staged(dir: &Path) -> Journal {
        staged_from(dir, ENV, &PlanOptions::default())
    }

    /// [`staged`] with the file's `text` and plan `options`.
    fn staged_from(dir: &Path, text: &str, options: &PlanOptions) -> Journal {
        let file = dir.join("app.env");
        std::fs::write(&file, text).expect("write");
        let planned = plan_offline(&file, "KEY", options).expect("plan");
        Journal::tested_for_test(planned, Secret::new("NewValue0123456789abcdefghijklmn"))
    }

    /// [`staged`] with its backups taken, and the env file's path.
    fn backed_up(dir: &Path) -> (Journal, PathBuf) {
        let mut journal = staged(dir);
        journal.backups = backup_all(&journal).expect("backup");
        (journal, dir.join("app.env"))
    }

    #[test]
    fn env_file_changed_since_plan_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("tempdir");
        let journal = staged(dir.path());
        let file = dir.path().join("app.env");
        let theirs = "KEY=abcdefghijklmnop1234567890\nOTHER=changed by someone else\n";
        std::fs::write(&file, theirs).expect("concurrent edit");
        let err = commit(&journal).expect_err("refused");
        assert!(
            matches!(&err, RotationError::ChangedSincePlan(path) if *path == std::path::absolute(&file).expect("abs"))
        );
        assert!(err.to_string().contains("changed since the rotation was planned"), "{err}");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), theirs, "nothing written");
    }

    #[test]
    fn unchanged_env_file_is_committed_and_a_second_commit_is_a_no_op() {
        let dir = tempfile::tempdir().expect("tempdir");
        let journal = staged(dir.path());
        let file = dir.path().join("app.env");
        commit(&journal).expect("commit");
        let written = std::fs::read_to_string(&file).expect("read");
        assert_eq!(written, "KEY=NewValue0123456789abcdefghijklmn\nOTHER=1\n");
        commit(&journal).expect("resumed commit");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), written);
    }

    #[test]
    fn restore_leaves_a_file_that_already_holds_its_backup_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (journal, file) = backed_up(dir.path());
        let before = std::fs::metadata(&file).expect("stat");
        restore(&journal).expect("restore");
        let after = std::fs::metadata(&file).expect("stat");
        use std::os::unix::fs::MetadataExt;
        assert_eq!((before.ino(), before.mtime_nsec()), (after.ino(), after.mtime_nsec()), "not rewritten");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), ENV);
    }

    #[test]
    fn a_rollback_after_a_refused_commit_keeps_the_other_edit() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (journal, file) = backed_up(dir.path());
        let theirs = "KEY=abcdefghijklmnop1234567890\nOTHER=changed by someone else\n";
        std::fs::write(&file, theirs).expect("concurrent edit");
        commit(&journal).expect_err("refused");
        restore(&journal).expect("restore");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), theirs, "their edit survives the rollback");
    }

    #[test]
    fn a_rollback_after_commit_reverts_only_our_value_when_someone_edited_the_file_since() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (journal, file) = backed_up(dir.path());
        commit(&journal).expect("commit");
        let mut text = std::fs::read_to_string(&file).expect("read");
        text.push_str("ADDED=after our commit\n");
        std::fs::write(&file, &text).expect("their edit");
        restore(&journal).expect("restore");
        assert_eq!(
            std::fs::read_to_string(&file).expect("read"),
            "KEY=abcdefghijklmnop1234567890\nOTHER=1\nADDED=after our commit\n"
        );
    }

    #[test]
    fn a_rollback_of_our_own_commit_puts_the_original_bytes_back() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (journal, file) = backed_up(dir.path());
        commit(&journal).expect("commit");
        restore(&journal).expect("restore");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), ENV);
    }

    #[test]
    fn a_rollback_around_someone_elses_edit_puts_the_kept_previous_value_back_too() {
        let dir = tempfile::tempdir().expect("tempdir");
        let text = "KEY=abcdefghijklmnop1234567890\nKEY_PREVIOUS=older-value-0000000000\n";
        let options = PlanOptions { keep_previous: Some("KEY_PREVIOUS".into()), ..PlanOptions::default() };
        let mut journal = staged_from(dir.path(), text, &options);
        journal.backups = backup_all(&journal).expect("backup");
        let file = dir.path().join("app.env");
        commit(&journal).expect("commit");
        let committed = std::fs::read_to_string(&file).expect("read");
        assert!(committed.contains("KEY_PREVIOUS=abcdefghijklmnop1234567890"), "{committed}");
        std::fs::write(&file, format!("{committed}ADDED=theirs\n")).expect("their edit");
        restore(&journal).expect("restore");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), format!("{text}ADDED=theirs\n"));
    }
}
