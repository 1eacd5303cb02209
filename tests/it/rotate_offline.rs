//! `docker secops rotate KEY --env-file FILE --no-recreate --yes`: the offline form, with no Docker and no compose
//! file: generate, back up, commit, audit, archive.

use std::io::Read;
use std::path::Path;

use crate::support::secops;

const OLD: &str = "old-token-value-1234567890";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let text =
        format!("# api\nexport API_TOKEN={OLD} # inline\nURL=https://bot:{OLD}@example.test/x\nOTHER='keep $me'\n");
    std::fs::write(dir.path().join(".env.prod"), text).expect("write");
    dir
}

fn read(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(".env.prod")).expect("read")
}

#[test]
fn offline_rotation_edits_only_the_values_backs_up_and_audits() {
    let dir = setup();
    let before = read(dir.path());
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--no-recreate", "--yes", "--format", "json"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(result["result"], "ok");
    let after = read(dir.path());
    let new = after
        .lines()
        .nth(1)
        .and_then(|l| l.strip_prefix("export API_TOKEN="))
        .and_then(|l| l.strip_suffix(" # inline"))
        .expect("edited line");
    assert_eq!(new.len(), 32);
    assert_eq!(after, before.replace(OLD, new), "only the secret's bytes change, in both keys");
    assert_eq!(result["new_fingerprint"], crate::support::project_fingerprint(dir.path(), new));
    let all = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr);
    assert!(!all.contains(new) && !all.contains(OLD));
    let backups: Vec<_> = std::fs::read_dir(dir.path().join(".secops/backups")).expect("backups").collect();
    assert_eq!(std::fs::read_to_string(backups[0].as_ref().expect("e").path()).expect("backup"), before);
    let audit = std::fs::read_to_string(dir.path().join(".secops/audit.jsonl")).expect("audit");
    assert!(audit.contains("\"key\":\"API_TOKEN\"") && !audit.contains(new) && !audit.contains(OLD));
    assert!(!dir.path().join(".secops/rotation.journal.json").exists());
}

#[test]
fn dry_run_and_missing_yes_change_nothing() {
    let dir = setup();
    let before = read(dir.path());
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--dry-run"])
        .output()
        .expect("runs");
    assert!(out.status.success());
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(plan.contains("API_TOKEN") && plan.contains("URL (value embedding the secret)"), "{plan}");
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--no-recreate"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("without --yes"));
    assert_eq!(read(dir.path()), before);
    assert!(!dir.path().join(".secops/backups").exists());
}

#[test]
fn keep_previous_and_archive_hold_the_old_value_where_asked() {
    let dir = setup();
    let identity = age::x25519::Identity::generate();
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--no-recreate", "--yes"])
        .args(["--keep-previous", "API_TOKEN_PREVIOUS", "--archive-recipient", &identity.to_public().to_string()])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(read(dir.path()).contains(&format!("API_TOKEN_PREVIOUS={OLD}")));
    let archives: Vec<_> = std::fs::read_dir(dir.path().join(".secops/archive")).expect("archive").collect();
    assert_eq!(archives.len(), 1);
    let sealed = std::fs::read(archives[0].as_ref().expect("e").path()).expect("read");
    assert!(!String::from_utf8_lossy(&sealed).contains(OLD));
    let mut plain = String::new();
    age::Decryptor::new(&sealed[..])
        .expect("age")
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .expect("decrypt")
        .read_to_string(&mut plain)
        .expect("read");
    assert_eq!(plain, OLD);
}

#[test]
fn an_interrupted_rotation_blocks_new_ones_until_resumed() {
    let dir = setup();
    std::fs::create_dir_all(dir.path().join(".secops")).expect("mkdir");
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--no-recreate", "--yes"])
        .env("SECOPS_FAULT_AT", "tested")
        .output()
        .expect("runs");
    if out.status.success() {
        // Built without the fault-injection feature: nothing to interrupt.
        return;
    }
    assert!(dir.path().join(".secops/rotation.journal.json").exists());
    let out = secops(dir.path())
        .args(["rotate", "OTHER", "--env-file", ".env.prod", "--no-recreate", "--yes"])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--resume"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = secops(dir.path())
        .args(["rotate", "--resume", "--env-file", ".env.prod", "--no-recreate", "--yes"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!read(dir.path()).contains(&format!("API_TOKEN={OLD}")));
    assert!(!dir.path().join(".secops/rotation.journal.json").exists());
}

/// The weak default `postgres` is a substring of the host name and of the URL's scheme and host: only the whole
/// value and the URL's password may change (it used to leave `DB_HOST=<new>ql` and `<new>ql://app:<new>@<new>ql`).
const SUBSTRINGS: &str = "DB_PASSWORD=postgres\n\
                          DB_HOST=postgresql\n\
                          DB_USER=postgres_app\n\
                          DB_NAME=app_postgres_db\n\
                          DATABASE_URL=postgresql://app:postgres@postgresql:5432/app\n\
                          ADMIN_URL=postgres://postgres:postgres@my-postgres-host/postgres\n\
                          OTHER_URL=postgres://postgres:other@postgres/postgres\n";

/// The env file after rotating `DB_PASSWORD` in it, with the new value put back to `NEW` for comparison.
fn rotated_substrings(dir: &Path, args: &[&str]) -> String {
    let out = secops(dir).args(args).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = std::fs::read_to_string(dir.join(".env")).expect("read");
    let new = after.lines().next().and_then(|l| l.strip_prefix("DB_PASSWORD=")).expect("first line").to_string();
    assert_eq!(new.len(), 32, "a generated password");
    after.replace(&new, "NEW")
}

const SUBSTRINGS_ROTATED: &str = "DB_PASSWORD=NEW\n\
                                  DB_HOST=postgresql\n\
                                  DB_USER=postgres_app\n\
                                  DB_NAME=app_postgres_db\n\
                                  DATABASE_URL=postgresql://app:NEW@postgresql:5432/app\n\
                                  ADMIN_URL=postgres://postgres:NEW@my-postgres-host/postgres\n\
                                  OTHER_URL=postgres://postgres:other@postgres/postgres\n";

#[test]
fn a_value_that_is_a_substring_of_hosts_users_and_schemes_is_replaced_only_as_a_url_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), SUBSTRINGS).expect("write");
    let args = ["rotate", "DB_PASSWORD", "--env-file", ".env", "--no-recreate", "--yes"];
    assert_eq!(rotated_substrings(dir.path(), &args), SUBSTRINGS_ROTATED);
}

#[test]
fn a_substring_value_through_a_compose_project_is_replaced_only_as_a_url_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join(".env"), SUBSTRINGS).expect("write");
    let compose = "services:\n  app:\n    image: secops-test/app:1\n    env_file: .env\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("write");
    let dry = secops(dir.path()).args(["rotate", "DB_PASSWORD", "--dry-run"]).output().expect("runs");
    let plan = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{}", String::from_utf8_lossy(&dry.stderr));
    for key in ["DB_HOST", "DB_USER", "DB_NAME", "OTHER_URL"] {
        assert!(plan.contains(&format!("unchanged: .env {key} (")), "{key} said to be left alone:\n{plan}");
    }
    for key in ["DATABASE_URL", "ADMIN_URL"] {
        assert!(plan.contains(&format!("edit:      .env {key} (value embedding")), "{key} edited:\n{plan}");
    }
    let args = ["rotate", "DB_PASSWORD", "--no-recreate", "--yes"];
    assert_eq!(rotated_substrings(dir.path(), &args), SUBSTRINGS_ROTATED);
}

#[test]
fn offline_rotation_makes_a_group_or_world_readable_env_file_private_and_says_so() {
    use std::os::unix::fs::PermissionsExt;
    let dir = setup();
    let env = dir.path().join(".env.prod");
    std::fs::set_permissions(&env, std::fs::Permissions::from_mode(0o644)).expect("chmod 0644");
    let out = secops(dir.path())
        .args(["rotate", "API_TOKEN", "--env-file", ".env.prod", "--no-recreate", "--yes"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(!read(dir.path()).contains(OLD), "rotated");
    assert_eq!(std::fs::metadata(&env).expect("meta").permissions().mode() & 0o777, 0o600);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("readable by others (0644): now 0600"), "{stderr}");
}
