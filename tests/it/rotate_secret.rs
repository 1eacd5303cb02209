//! `rotate` of compose `secrets:` through the CLI, without containers (`--no-recreate`, no store): a `file:`
//! secret by its key or its `*_FILE` variable, an `environment:` secret through the env file defining its
//! variable, and what `--dry-run` shows.

use std::path::Path;

use crate::support::secops;

const TOKEN: &str = "fixture-api-token-61a9d2c4e8";
const JWT: &str = "fixture-jwt-secret-0b7e3f5a9c1d";

/// `api` reads the file secret `api_token` (through `API_TOKEN_FILE`) and the environment secret `jwt` (variable
/// `APP_JWT` in `.env`); `worker` gets `api_token` at a custom target.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  api:\n    image: secops-test/app:1\n    environment:\n      \
                   API_TOKEN_FILE: /run/secrets/api_token\n    secrets: [api_token, jwt]\n  worker:\n    \
                   image: secops-test/app:1\n    secrets:\n      - source: api_token\n        target: /etc/token\n  \
                   web:\n    image: secops-test/app:1\nsecrets:\n  api_token:\n    file: ./api_token.txt\n  jwt:\n    \
                   environment: APP_JWT\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join("api_token.txt"), format!("{TOKEN}\n")).expect("secret");
    std::fs::write(dir.path().join(".env"), format!("APP_JWT={JWT}\n")).expect(".env");
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).expect("read")
}

#[test]
fn dry_run_shows_the_secret_file_edit_and_every_consumer_in_text_and_json() {
    let dir = project();
    let out = secops(dir.path()).args(["rotate", "api_token", "--dry-run"]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(text.contains("edit:      api_token.txt (secret api_token: the whole file"), "{text}");
    assert!(text.contains("recreate:  api, worker (up -d --force-recreate"), "every consumer, not web: {text}");
    assert!(text.contains("running containers keep reading the old secret file"), "{text}");
    let out = secops(dir.path()).args(["rotate", "api_token", "--dry-run", "--format", "json"]).output().expect("runs");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(plan["key"], "api_token");
    assert_eq!(plan["edits"][0]["kind"], "secret-file");
    assert_eq!(plan["edits"][0]["file"], dir.path().join("api_token.txt").display().to_string());
    assert_eq!(plan["store"]["kind"], "env");
    assert_eq!(plan["current_fingerprint"], crate::support::project_fingerprint(dir.path(), TOKEN));
    let all = String::from_utf8_lossy(&out.stdout).to_string() + &text;
    assert!(!all.contains(TOKEN));
    assert_eq!(read(dir.path(), "api_token.txt"), format!("{TOKEN}\n"), "a dry run changes nothing");
}

#[test]
fn a_file_secret_rotates_by_its_key_or_its_file_variable_backed_up_and_audited() {
    for target in ["api_token", "API_TOKEN_FILE"] {
        let dir = project();
        let out = secops(dir.path())
            .args(["rotate", target, "--no-recreate", "--yes", "--format", "json"])
            .output()
            .expect("runs");
        assert!(out.status.success(), "{target}: {}", String::from_utf8_lossy(&out.stderr));
        let result: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!((result["key"].as_str(), result["result"].as_str()), (Some("api_token"), Some("ok")));
        let new = read(dir.path(), "api_token.txt");
        let new = new.strip_suffix('\n').expect("the trailing newline kept");
        assert!(new.len() >= 24 && new != TOKEN && !new.contains('\n'), "{target}");
        assert_eq!(result["new_fingerprint"], crate::support::project_fingerprint(dir.path(), new));
        let backups: Vec<_> = std::fs::read_dir(dir.path().join(".secops/backups")).expect("backups").collect();
        assert_eq!(backups.len(), 1);
        let backup = backups[0].as_ref().expect("entry").path();
        assert_eq!(std::fs::read_to_string(&backup).expect("backup"), format!("{TOKEN}\n"));
        let audit = read(dir.path(), ".secops/audit.jsonl");
        assert!(audit.contains("\"key\":\"api_token\"") && audit.contains("api_token.txt"), "{audit}");
        let all = String::from_utf8_lossy(&out.stdout).to_string() + &String::from_utf8_lossy(&out.stderr) + &audit;
        assert!(!all.contains(new) && !all.contains(TOKEN), "{target}: a value in the output or audit log");
        assert_eq!(read(dir.path(), ".env"), format!("APP_JWT={JWT}\n"), "the other secret is left alone");
    }
}

#[test]
fn an_environment_secret_rotates_in_the_env_file_defining_its_variable_and_recreates_its_consumers() {
    let dir = project();
    let out = secops(dir.path()).args(["rotate", "jwt", "--dry-run", "--format", "json"]).output().expect("runs");
    let plan: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(plan["key"], "APP_JWT", "{plan:#}");
    assert_eq!(plan["edits"][0]["kind"], "value");
    assert_eq!(plan["recreate"], serde_json::json!(["api"]), "the service mounting the secret: {plan:#}");
    let out = secops(dir.path()).args(["rotate", "jwt", "--no-recreate", "--yes"]).output().expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let env = read(dir.path(), ".env");
    assert!(env.starts_with("APP_JWT=") && !env.contains(JWT), "{env}");
    assert_eq!(read(dir.path(), "api_token.txt"), format!("{TOKEN}\n"));
}

#[test]
fn a_mistyped_secret_gets_did_you_mean() {
    let dir = project();
    let out = secops(dir.path()).args(["rotate", "api_tokn", "--dry-run"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("did you mean api_token?"), "{stderr}");
}

#[test]
fn mariadb_passwords_from_file_secrets_go_through_its_store_as_the_account_each_belongs_to() {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  db:\n    image: mariadb:10.11\n    environment:\n      MARIADB_USER: app\n      \
                   MARIADB_PASSWORD_FILE: /run/secrets/app_pw\n      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/root_pw\n    \
                   secrets: [app_pw, root_pw]\n    volumes: [\"data:/var/lib/mysql\"]\n  api:\n    \
                   image: secops-test/app:1\n    secrets: [app_pw]\nsecrets:\n  app_pw:\n    file: ./app_pw.txt\n  \
                   root_pw:\n    file: ./root_pw.txt\nvolumes:\n  data: {}\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join("app_pw.txt"), "fixture-app-pw-2c8d4e6f1a\n").expect("secret");
    std::fs::write(dir.path().join("root_pw.txt"), "fixture-root-pw-9b7a5c3e1d\n").expect("secret");
    let plan = |target: &str| -> serde_json::Value {
        let out = secops(dir.path()).args(["rotate", target, "--dry-run", "--format", "json"]).output().expect("runs");
        assert!(out.status.success(), "{target}: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    for (target, key, account, recreate) in [
        ("app_pw", "app_pw", "account app", serde_json::json!(["api", "db"])),
        ("root_pw", "root_pw", "account root", serde_json::json!(["db"])),
        ("MARIADB_ROOT_PASSWORD_FILE", "root_pw", "account root", serde_json::json!(["db"])),
        ("mariadb", "app_pw", "account app", serde_json::json!(["api", "db"])),
    ] {
        let plan = plan(target);
        assert_eq!((plan["key"].as_str(), plan["store"]["kind"].as_str()), (Some(key), Some("mariadb")), "{target}");
        assert!(plan["store"]["summary"].as_str().is_some_and(|s| s.contains(account)), "{target}: {plan:#}");
        assert_eq!(plan["recreate"], recreate, "{target}");
    }
}
