//! The whole-file edit of a compose `file:` secret, without containers: planned from a real project, committed
//! atomically with its mode, owner and line ending, refused when changed since planned, restored on rollback.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use super::edits::{backup_all, commit, restore};
use super::{EditKind, Journal, PlanOptions, RotationError, Target, plan_project};
use crate::project::{Project, ProjectOptions};
use crate::secret::Secret;

const OLD: &str = "fixture-token-7d41c9b2e0a5";
const NEW: &str = "NewSecretFileValue0123456789abcd";

/// A project whose `app` reads the secret `token` (file `secrets/token.txt`, written with `text`) through
/// `TOKEN_FILE`, and whose `.env` holds the same value in a URL.
fn project(text: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  app:\n    image: app:1\n    environment:\n      TOKEN_FILE: /run/secrets/token\n      \
                   HOOK_URL: ${HOOK_URL}\n    secrets: [token]\nsecrets:\n  token:\n    file: ./secrets/token.txt\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join(".env"), format!("HOOK_URL=https://hook:{OLD}@example.test/x\n")).expect("env");
    std::fs::create_dir(dir.path().join("secrets")).expect("mkdir");
    let file = dir.path().join("secrets/token.txt");
    std::fs::write(&file, text).expect("secret");
    (dir, file)
}

/// A staged, backed-up journal rotating `target` of the project in `dir` to `NEW`.
fn staged(dir: &Path, target: &str) -> Journal {
    let options = ProjectOptions { working_dir: dir.to_path_buf(), ..ProjectOptions::default() };
    let project = Project::load(&options).expect("loads");
    let options = PlanOptions { no_recreate: true, ..PlanOptions::default() };
    let planned = plan_project(&project, &Target::Key(target.into()), &options).expect("plan");
    let mut journal = Journal::tested_for_test(planned, Secret::new(NEW));
    journal.backups = backup_all(&journal).expect("backup");
    journal
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).expect("stat").permissions().mode() & 0o7777
}

#[test]
fn the_secret_and_its_file_variable_plan_the_same_whole_file_edit_and_the_url_beside_it() {
    let (dir, file) = project(&format!("{OLD}\n"));
    for target in ["token", "TOKEN_FILE"] {
        let journal = staged(dir.path(), target);
        let plan = &journal.plan;
        assert_eq!(plan.key, "token", "{target}");
        assert_eq!(plan.primary_file, file);
        assert_eq!((plan.edits[0].kind, plan.edits[0].file.as_path()), (EditKind::SecretFile, file.as_path()));
        assert!(plan.edits.iter().any(|e| e.key == "HOOK_URL" && e.kind == EditKind::Embedded), "{:?}", plan.edits);
        assert!(plan.file_hashes.iter().any(|(p, _)| *p == file), "the secret file's hash guards the commit");
        assert_eq!(journal.file_old.expose(), OLD, "the value without its line break");
        assert_eq!(plan.secret_targets, ["/run/secrets/token"], "recreated containers are checked there");
        let expected: Vec<String> = plan.expectations(&journal.new).into_iter().map(|(k, _)| k).collect();
        assert_eq!(expected, ["token", "/run/secrets/token"]);
    }
}

#[test]
fn commit_replaces_the_file_atomically_keeping_mode_owner_and_line_ending() {
    for (text, ending) in [(format!("{OLD}\n"), "\n"), (OLD.to_string(), ""), (format!("{OLD}\r\n"), "\r\n")] {
        let (dir, file) = project(&text);
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o440)).expect("chmod");
        let root = rustix::process::geteuid().is_root();
        if root {
            std::os::unix::fs::chown(&file, Some(4321), Some(4322)).expect("chown");
        }
        let before = std::fs::metadata(&file).expect("stat");
        let journal = staged(dir.path(), "token");
        commit(&journal).expect("commit");
        assert_eq!(std::fs::read_to_string(&file).expect("read"), format!("{NEW}{ending}"), "{text:?}");
        let after = std::fs::metadata(&file).expect("stat");
        assert_ne!(before.ino(), after.ino(), "a new file renamed over the old one (atomic), not written in place");
        assert_eq!(mode(&file), 0o440, "a bind-mounted secret keeps its mode");
        assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()), "and its owner");
        if root {
            assert_eq!((after.uid(), after.gid()), (4321, 4322));
        }
        let names: Vec<String> = std::fs::read_dir(file.parent().expect("dir"))
            .expect("ls")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["token.txt"], "no temporary file left");
        let env = std::fs::read_to_string(dir.path().join(".env")).expect(".env");
        assert_eq!(env, format!("HOOK_URL=https://hook:{NEW}@example.test/x\n"), "the URL carrying it too");
        // Resumed: a file holding the new value is left as it is.
        commit(&journal).expect("second commit");
        assert_eq!(std::fs::metadata(&file).expect("stat").ino(), after.ino());
    }
}

#[test]
fn the_backup_is_0600_in_the_state_dir_with_the_original_bytes_and_no_value_in_its_name() {
    let (dir, file) = project(&format!("{OLD}\n"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let journal = staged(dir.path(), "token");
    let backup = journal.backups.iter().find(|b| b.to_string_lossy().contains("token.txt")).expect("backup");
    assert_eq!(backup.parent(), Some(dir.path().join(".secops/backups").as_path()));
    assert_eq!(mode(backup), 0o600);
    assert_eq!(std::fs::read(backup).expect("read"), format!("{OLD}\n").into_bytes());
    assert!(!backup.to_string_lossy().contains(OLD));
}

#[test]
fn a_secret_file_changed_since_planned_is_refused_and_kept_through_the_rollback() {
    let (dir, file) = project(&format!("{OLD}\n"));
    let journal = staged(dir.path(), "token");
    std::fs::write(&file, "someone-elses-new-value-77\n").expect("their edit");
    let err = commit(&journal).expect_err("refused");
    assert!(matches!(&err, RotationError::ChangedSincePlan(path) if *path == file), "{err}");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "someone-elses-new-value-77\n");
    assert!(std::fs::read_to_string(dir.path().join(".env")).expect(".env").contains(OLD), "nothing written at all");
    restore(&journal).expect("restore");
    assert_eq!(std::fs::read_to_string(&file).expect("read"), "someone-elses-new-value-77\n", "their value stays");
}

#[test]
fn a_rollback_puts_the_secret_files_original_bytes_mode_and_time_back() {
    let (dir, file) = project(&format!("{OLD}\r\n"));
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    // An hour old: what was deployed from it (a Swarm secret object, a container) is younger.
    let written = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::open(&file).and_then(|f| f.set_modified(written)).expect("set mtime");
    let original = std::fs::read(&file).expect("read");
    let journal = staged(dir.path(), "token");
    commit(&journal).expect("commit");
    assert_ne!(std::fs::read(&file).expect("read"), original);
    restore(&journal).expect("restore");
    assert_eq!(std::fs::read(&file).expect("read"), original, "byte for byte");
    assert_eq!(mode(&file), 0o640);
    let modified = std::fs::metadata(&file).and_then(|m| m.modified()).expect("mtime");
    assert_eq!(modified, written, "its modification time comes back with the bytes");
    // Gone meanwhile (deleted by hand): the backup brings it back.
    commit(&journal).expect("commit again");
    std::fs::remove_file(&file).expect("rm");
    restore(&journal).expect("restore");
    assert_eq!(std::fs::read(&file).expect("read"), original);
}

#[test]
fn multi_line_secrets_and_keep_previous_are_refused_with_the_file_named() {
    let (dir, _) = project("-----BEGIN KEY-----\nabc\n-----END KEY-----\n");
    let options = ProjectOptions { working_dir: dir.path().to_path_buf(), ..ProjectOptions::default() };
    let project = Project::load(&options).expect("loads");
    let Err(err) = plan_project(&project, &Target::Key("token".into()), &PlanOptions::default()) else {
        panic!("a certificate is no password")
    };
    assert!(err.to_string().contains("token.txt") && err.to_string().contains("3 lines"), "{err}");
    let keep = PlanOptions { keep_previous: Some("OLD_TOKEN".into()), ..PlanOptions::default() };
    let Err(err) = plan_project(&project, &Target::Key("token".into()), &keep) else { panic!("no key to keep") };
    assert!(err.to_string().contains("--keep-previous"), "{err}");
}
