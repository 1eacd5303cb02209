//! A value that reaches a database's init-only password variable is never rotated in the env files alone: through
//! the database's store when there is one, else refused (exit 2, nothing changed) unless `--env-only`.

use std::path::Path;

use crate::support::secops;

const OLD: &str = "broker-pass-5d1c0a77e2";

/// A RabbitMQ (no store for it) whose `RABBITMQ_DEFAULT_PASS` is interpolated from `.env`, and two consumers.
fn rabbit_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  broker:\n    image: rabbitmq:3-management\n    environment:\n      \
                   RABBITMQ_DEFAULT_PASS: ${BROKER_PASS}\n    volumes: [\"rabbit:/var/lib/rabbitmq\"]\n  api:\n    \
                   image: secops-test/app:1\n    environment:\n      AMQP_URL: amqp://guest:${BROKER_PASS}@broker:5672/\n  \
                   worker:\n    image: secops-test/app:1\n    environment:\n      BROKER_PASS: ${BROKER_PASS}\n\
                   volumes:\n  rabbit: {}\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join(".env"), format!("BROKER_PASS={OLD}\n")).expect("env");
    dir
}

fn env(dir: &Path) -> String {
    std::fs::read_to_string(dir.join(".env")).expect("read .env")
}

#[test]
fn an_init_only_password_with_no_store_is_refused_naming_service_variable_and_consumers() {
    let dir = rabbit_project();
    let out = secops(dir.path()).args(["rotate", "BROKER_PASS", "--yes"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for word in ["RABBITMQ_DEFAULT_PASS", "service broker", "api, worker", "--env-only", "data volume keeps"] {
        assert!(stderr.contains(word), "missing {word:?}: {stderr}");
    }
    assert!(!stderr.contains(OLD), "{stderr}");
    assert_eq!(env(dir.path()), format!("BROKER_PASS={OLD}\n"), "nothing may change");
    assert!(!dir.path().join(".secops/journal.json").exists());
}

#[test]
fn env_only_rotates_the_files_anyway() {
    let dir = rabbit_project();
    let out = secops(dir.path())
        .args(["rotate", "BROKER_PASS", "--env-only", "--no-recreate", "--yes"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = env(dir.path());
    assert!(after.starts_with("BROKER_PASS=") && !after.contains(OLD), "{after}");
}

#[test]
fn a_shared_value_reaching_postgres_password_rotates_through_the_postgres_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  db:\n    image: postgres:15\n    env_file: db.env\n    volumes: [\"pg:/var/lib/postgresql/data\"]\n  \
                   api:\n    image: secops-test/app:1\n    env_file: api.env\nvolumes:\n  pg: {}\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join("db.env"), "POSTGRES_USER=app\nPOSTGRES_PASSWORD=pg-pass-8a9b0c1d2e\n")
        .expect("env");
    std::fs::write(dir.path().join("api.env"), "DB_PASSWORD=pg-pass-8a9b0c1d2e\n").expect("env");
    let out = secops(dir.path()).args(["rotate", "DB_PASSWORD", "--dry-run"]).output().expect("runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("store:     postgres (service db, role app in app"), "{stdout}");
    assert!(stdout.contains("no second password"), "{stdout}");
    assert!(!stdout.contains("recreate:  db") && !stdout.contains(", db"), "the database is not recreated: {stdout}");
}

/// A RabbitMQ (no store for it) reading its password from a file secret, and a consumer of the same secret.
fn rabbit_secret_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let compose = "services:\n  broker:\n    image: rabbitmq:3\n    environment:\n      \
                   RABBITMQ_DEFAULT_PASS_FILE: /run/secrets/broker_pass\n    secrets: [broker_pass]\n    \
                   volumes: [\"rabbit:/var/lib/rabbitmq\"]\n  api:\n    image: secops-test/app:1\n    \
                   secrets: [broker_pass]\nsecrets:\n  broker_pass:\n    file: ./broker_pass.txt\nvolumes:\n  rabbit: {}\n";
    std::fs::write(dir.path().join("compose.yaml"), compose).expect("compose");
    std::fs::write(dir.path().join("broker_pass.txt"), format!("{OLD}\n")).expect("secret");
    dir
}

#[test]
fn an_init_only_password_read_from_a_file_secret_is_refused_unless_env_only() {
    let dir = rabbit_secret_project();
    let secret = dir.path().join("broker_pass.txt");
    let out = secops(dir.path()).args(["rotate", "broker_pass", "--yes"]).output().expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    for word in ["RABBITMQ_DEFAULT_PASS_FILE", "service broker", "api", "--env-only"] {
        assert!(stderr.contains(word), "missing {word:?}: {stderr}");
    }
    assert!(!stderr.contains(OLD), "{stderr}");
    assert_eq!(std::fs::read_to_string(&secret).expect("read"), format!("{OLD}\n"), "nothing may change");
    let out = secops(dir.path())
        .args(["rotate", "broker_pass", "--env-only", "--no-recreate", "--yes"])
        .output()
        .expect("runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let after = std::fs::read_to_string(&secret).expect("read");
    assert!(after.ends_with('\n') && !after.contains(OLD) && after.len() > 20, "rotated anyway");
}
