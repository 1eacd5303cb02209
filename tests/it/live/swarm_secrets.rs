//! `rotate --stack` of a credential held in a compose file secret: Swarm secret objects are immutable, so the
//! rotation makes a new versioned object, moves every consuming service onto it with a rolling update and removes
//! the old one once no service runs it; a value the app cannot use rolls everything back.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::process::{Output, Stdio};

use super::stack::{key, lossy, service};
use super::swarm::{ProbeCount, SwarmGuard, SwarmStack, docker, redis_cli, task_containers};
use crate::support::secops;

const PASSWORD: &str = "swarm-file-pw-6d2b9e14a7c3f580";

/// Redis whose password comes from a file secret (as config on stdin, never on a command line), and an app with 2
/// replicas reading the same secret: a login probe every 10 ms with the value its task holds, one line per answer
/// in the task's own log. Its healthcheck refuses a value containing `unusable` (a value the app cannot work with).
const STACK_FILE: &str = r#"services:
  redis:
    image: secops-test/redis:7
    command: ["sh", "-c", "exec redis-server - --appendonly yes <<EOF\nrequirepass \"$$(cat /run/secrets/redis_pw)\"\nEOF\n"]
    secrets: [redis_pw]
    volumes:
      - redis-data:/data
    healthcheck:
      test: ["CMD-SHELL", "REDISCLI_AUTH=\"$$(cat /run/secrets/redis_pw)\" redis-cli --no-auth-warning ping | grep -q PONG"]
      interval: 1s
      timeout: 3s
      retries: 20
    deploy:
      endpoint_mode: dnsrr
  app:
    image: secops-test/app:1
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do
          echo "probe $$(REDISCLI_AUTH="$$(cat /run/secrets/redis_pw)" redis-cli --no-auth-warning -h redis ping 2>&1 | head -c 80)"
          sleep 0.01
        done
    secrets: [redis_pw]
    healthcheck:
      test: ["CMD-SHELL", "pw=\"$$(cat /run/secrets/redis_pw)\"; case \"$$pw\" in *unusable*) exit 1;; esac; REDISCLI_AUTH=\"$$pw\" redis-cli --no-auth-warning -h redis ping | grep -q PONG"]
      interval: 1s
      timeout: 5s
      retries: 30
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      update_config:
        order: start-first
volumes:
  redis-data:
secrets:
  redis_pw:
    name: ${STACK}_redis_pw_${PW_VERSION:-1}
    file: ./redis_pw.txt
x-secops:
  secrets:
    - key: redis_pw
      store: redis
      service: redis
"#;

fn deploy(test: &str) -> SwarmStack {
    let files = [("stack.yml", STACK_FILE.to_string()), ("redis_pw.txt", format!("{PASSWORD}\n"))];
    SwarmStack::deploy_files(test, &files, &[("redis", 1), ("app", 2)])
}

/// The same stack with the secret's version in `.env` (`PW_VERSION=1`), as a team that deploys with
/// `set -a; . ./.env; docker stack deploy ...` keeps it.
fn deploy_versioned(test: &str) -> SwarmStack {
    let files = [
        ("stack.yml", STACK_FILE.replace("${PW_VERSION:-1}", "${PW_VERSION}")),
        ("redis_pw.txt", format!("{PASSWORD}\n")),
        (".env", "# the version of redis_pw's Swarm secret object\nPW_VERSION=1\n".to_string()),
    ];
    SwarmStack::deploy_files(test, &files, &[("redis", 1), ("app", 2)])
}

/// `docker stack deploy` of the stack's files again, with `.env` exported as the team's deploy script does.
fn redeploy(stack: &SwarmStack) {
    let dotenv = std::fs::read_to_string(stack.dir().join(".env")).unwrap_or_default();
    let vars: Vec<(&str, &str)> = dotenv.lines().filter_map(|l| l.split_once('=')).collect();
    let out = std::process::Command::new("docker")
        .args(["stack", "deploy", "--resolve-image", "never", "-c", "stack.yml", &stack.name])
        .current_dir(stack.dir())
        .env("STACK", &stack.name)
        .envs(vars)
        .output()
        .expect("docker runs");
    assert!(out.status.success(), "redeploy: {}", lossy(&out.stderr));
}

/// The secret objects each running task of `service` runs, one entry per task.
fn task_secrets(stack: &SwarmStack, service: &str) -> Vec<String> {
    let swarm_name = format!("{}_{service}", stack.name);
    let out = docker(&["service", "ps", "-q", "--filter", "desired-state=running", &swarm_name]);
    lossy(&out.stdout)
        .lines()
        .map(|task| {
            let format = "{{range .Spec.ContainerSpec.Secrets}}{{.SecretName}} {{end}}";
            lossy(&docker(&["inspect", "--format", format, task]).stdout).trim().to_string()
        })
        .collect()
}

fn secret_objects(stack: &SwarmStack) -> Vec<String> {
    let out = docker(&["secret", "ls", "--format", "{{.Name}}"]);
    lossy(&out.stdout).lines().filter(|n| n.starts_with(&stack.name)).map(str::to_string).collect()
}

/// `rotate redis_pw` with `value` as the new value on stdin.
fn rotate_with(stack: &SwarmStack, value: &str) -> Output {
    let mut child = secops(stack.dir())
        .args(["rotate", "redis_pw", "-f", "stack.yml", "--stack", &stack.name, "--yes", "--new-from-stdin"])
        .args(["--timeout", "240"])
        .env("STACK", &stack.name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docker-secops runs");
    child.stdin.take().expect("stdin").write_all(format!("{value}\n").as_bytes()).expect("write stdin");
    child.wait_with_output().expect("docker-secops ends")
}

#[test]
fn rotate_a_file_secret_on_a_stack_makes_a_new_version_and_moves_every_task_onto_it_with_no_refused_login() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = deploy("filesecret");
    let (old_object, new_object) = (format!("{}_redis_pw_1", stack.name), format!("{}_redis_pw_2", stack.name));
    assert_eq!(task_secrets(&stack, "app"), [old_object.clone(), old_object.clone()]);
    assert_eq!(redis_cli(&stack, PASSWORD, &["SET", "kept", "before-rotation"]), "OK");
    let app_before = task_containers(&stack, "app");
    let redis_before = task_containers(&stack, "redis");

    let out = stack.secops("rotate", &["redis_pw", "--yes", "--timeout", "240"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let file = std::fs::read_to_string(stack.dir().join("redis_pw.txt")).expect("read secret file");
    let new = file.strip_suffix('\n').expect("the trailing newline is kept").to_string();
    assert_ne!(new, PASSWORD);
    for value in [PASSWORD, new.as_str()] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "rotate printed a password: {stdout}{stderr}");
    }
    assert!(stderr.contains(&format!("secret   {new_object}")) && stderr.contains("created"), "{stderr}");

    // Every task runs the new version, the old object is gone, the new one says what it holds.
    for name in ["app", "redis"] {
        let running = task_secrets(&stack, name);
        assert!(!running.is_empty() && running.iter().all(|s| *s == new_object), "{name} tasks run {running:?}");
    }
    assert_eq!(secret_objects(&stack), std::slice::from_ref(&new_object), "the old object is removed");
    let labels = lossy(&docker(&["secret", "inspect", "--format", "{{json .Spec.Labels}}", &new_object]).stdout)
        .trim()
        .to_string();
    let labels: serde_json::Value = serde_json::from_str(&labels).expect("labels json");
    assert_eq!(labels["secops.version"], "2", "{labels}");
    assert_eq!(labels["com.docker.stack.namespace"], stack.name.as_str(), "{labels}");
    assert!(labels["secops.fingerprint"].as_str().is_some_and(|f| f.len() == 8), "{labels}");

    let app_after = task_containers(&stack, "app");
    assert!(app_after.len() == 2 && app_after.iter().all(|id| !app_before.contains(id)), "every app task replaced");
    assert_ne!(task_containers(&stack, "redis"), redis_before, "redis reads its password at start: updated too");
    assert_eq!(redis_cli(&stack, &new, &["GET", "kept"]), "before-rotation", "data kept");
    assert_ne!(redis_cli(&stack, PASSWORD, &["PING"]), "PONG", "the old password is refused");

    let probe =
        ProbeCount::of(&stack, "app", "PONG", &["WRONGPASS", "NOAUTH"], "file secret probe during the rotation");
    assert!(probe.ok > 100, "the probe ran: {} answers", probe.ok);
    assert!(probe.refused.is_empty(), "refused logins during the rotation: {:?}", probe.refused);
    assert!(!probe.logs.contains(PASSWORD) && !probe.logs.contains(&new), "the probe printed a password");

    // The version docker-secops made holds what the file holds: in sync, not "the files name another version".
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    assert_eq!(key(&status, "app", "redis_pw")["drift"], "in_sync", "{status:#}");
    assert!(service(&status, "app")["down"].is_null(), "{status:#}");

    // The next `docker stack deploy` of the same files is accepted: it makes the declared object again from the
    // rotated file, and the services keep working with the same value.
    let deploy = stack.run("docker", &["stack", "deploy", "--resolve-image", "never", "-c", "stack.yml", &stack.name]);
    assert!(deploy.status.success(), "redeploy after the rotation: {}", lossy(&deploy.stderr));
    stack.wait_running(&[("redis", 1), ("app", 2)]);

    // A second rotation after that deploy: the services run `_1` again; `_3` replaces it, and `_2`, which
    // docker-secops made and no service runs since the deploy, is removed too.
    let mut objects = secret_objects(&stack);
    objects.sort();
    assert_eq!(objects, [old_object.clone(), new_object.clone()], "after the deploy");
    let out = stack.secops("rotate", &["redis_pw", "--yes", "--timeout", "240"], &[]);
    assert_eq!(out.status.code(), Some(0), "{}", lossy(&out.stderr));
    assert_eq!(secret_objects(&stack), [format!("{}_redis_pw_3", stack.name)]);
}

#[test]
fn a_version_variable_in_the_env_file_is_bumped_so_the_next_deploy_names_the_object_the_services_run() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = deploy_versioned("versioned");
    let new_object = format!("{}_redis_pw_2", stack.name);
    let dry = stack.secops("rotate", &["redis_pw", "--dry-run"], &[]);
    let plan = lossy(&dry.stdout);
    assert_eq!(dry.status.code(), Some(0), "{plan}{}", lossy(&dry.stderr));
    let swap = format!("Swarm object {}_redis_pw_1 -> {new_object}", stack.name);
    assert!(plan.contains(&swap) && plan.contains(".env PW_VERSION (version of a Swarm secret's name)"), "{plan}");
    assert!(plan.contains("app, redis (a rolling update of each service of stack"), "{plan}");
    assert_eq!(secret_objects(&stack), [format!("{}_redis_pw_1", stack.name)], "a dry run changes nothing");
    let out = stack.secops("rotate", &["redis_pw", "--yes", "--timeout", "240"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let dotenv = std::fs::read_to_string(stack.dir().join(".env")).expect("read .env");
    assert_eq!(dotenv, "# the version of redis_pw's Swarm secret object\nPW_VERSION=2\n", "only the version changed");
    for name in ["app", "redis"] {
        let running = task_secrets(&stack, name);
        assert!(!running.is_empty() && running.iter().all(|s| *s == new_object), "{name} tasks run {running:?}");
    }
    assert_eq!(secret_objects(&stack), std::slice::from_ref(&new_object), "the old object is removed");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    // The files now name the object every task runs: a deploy changes nothing, no task is replaced.
    let app = task_containers(&stack, "app");
    redeploy(&stack);
    std::thread::sleep(std::time::Duration::from_secs(5));
    assert_eq!(task_containers(&stack, "app"), app, "the redeploy replaced tasks: the files named another object");
    assert_eq!(secret_objects(&stack), std::slice::from_ref(&new_object));
}

#[test]
fn a_new_secret_value_the_app_cannot_use_rolls_the_stack_back_to_the_old_object_and_password() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = deploy_versioned("unusable");
    let old_object = format!("{}_redis_pw_1", stack.name);
    let app_before = task_containers(&stack, "app");

    let unusable = "unusable-value-4b8e2f6a1c9d3057e1";
    let out = rotate_with(&stack, unusable);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{stdout}{stderr}");
    assert!(stderr.contains("rolled back") || stderr.contains("rolling back"), "{stderr}");
    assert!(stderr.contains("paused"), "the failing update is named: {stderr}");
    for value in [PASSWORD, unusable] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "rotate printed a password: {stdout}{stderr}");
    }

    assert_eq!(std::fs::read_to_string(stack.dir().join("redis_pw.txt")).expect("read"), format!("{PASSWORD}\n"));
    let dotenv = std::fs::read_to_string(stack.dir().join(".env")).expect("read .env");
    assert!(dotenv.ends_with("PW_VERSION=1\n"), "the version variable is back: {dotenv}");
    for name in ["app", "redis"] {
        let running = task_secrets(&stack, name);
        assert!(!running.is_empty() && running.iter().all(|s| *s == old_object), "{name} tasks run {running:?}");
    }
    assert_eq!(secret_objects(&stack), [old_object], "the new object is removed again");
    assert_eq!(redis_cli(&stack, PASSWORD, &["PING"]), "PONG", "the old password logs in");
    assert_ne!(redis_cli(&stack, unusable, &["PING"]), "PONG", "the new one was taken back");
    let app_now = task_containers(&stack, "app");
    assert_eq!(app_now.len(), 2, "{app_now:?} (before: {app_before:?})");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
}

/// After a recovery: no journal, the secret file's value logs in to Redis, every task of both services runs the
/// one secret object the stack has left, and that object holds the file's value. Returns the value.
#[cfg(feature = "fault-injection")]
fn assert_consistent(stack: &SwarmStack, case: &str) -> String {
    let journal = stack.dir().join(".secops/rotation.journal.json");
    assert!(!journal.exists(), "{case}: journal left");
    let value = std::fs::read_to_string(stack.dir().join("redis_pw.txt")).expect("read").trim_end().to_string();
    assert_eq!(redis_cli(stack, &value, &["PING"]), "PONG", "{case}: the file's value does not log in");
    let objects = secret_objects(stack);
    assert_eq!(objects.len(), 1, "{case}: one secret object is left: {objects:?}");
    for name in ["app", "redis"] {
        let running = task_secrets(stack, name);
        assert!(!running.is_empty() && running.iter().all(|s| *s == objects[0]), "{case}: {name} runs {running:?}");
    }
    for id in task_containers(stack, "app") {
        let held = lossy(&docker(&["exec", &id, "cat", "/run/secrets/redis_pw"]).stdout).trim_end().to_string();
        assert!(held == value, "{case}: an app task holds another value than the file");
    }
    value
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_stack_rotation_aborted_at_every_step_resumes_or_rolls_back_to_one_consistent_secret_object() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = deploy("faults");
    // `secret-object`: the new object exists, no service runs it yet.
    let cases = [
        ("staged", "--rollback"),
        ("set", "--resume"),
        ("tested", "--rollback"),
        ("committed", "--resume"),
        ("secret-object", "--rollback"),
        ("secret-object", "--resume"),
        ("recreated", "--rollback"),
        ("recreated", "--resume"),
    ];
    for (point, mode) in cases {
        let case = format!("aborted at {point}, then {mode}");
        let before = assert_consistent(&stack, &format!("before {case}"));
        let crashed = stack.secops("rotate", &["redis_pw", "--yes", "--timeout", "240"], &[("SECOPS_FAULT_AT", point)]);
        assert!(!crashed.status.success(), "{case}: the fault did not fire: {}", lossy(&crashed.stderr));
        let out = stack.secops("rotate", &[mode, "--yes", "--timeout", "240"], &[]);
        let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
        assert!(out.status.success(), "{case}: {stdout}{stderr}");
        assert!(!stdout.contains(&before) && !stderr.contains(&before), "{case}: a value was printed");
        let after = assert_consistent(&stack, &case);
        assert_eq!(after == before, mode == "--rollback", "{case}");
        eprintln!("{case}: consistent");
    }
}

#[cfg(feature = "fault-injection")]
#[test]
fn sigint_during_a_stack_rotations_rolling_updates_lets_them_finish_and_the_rotation_completes() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = deploy("sigint");
    let before = assert_consistent(&stack, "before");
    let marker = stack.dir().join(".paused");
    // Paused with the new object made and no service moved yet; SIGINT arrives, then the updates go on.
    let child = secops(stack.dir())
        .args(["rotate", "redis_pw", "-f", "stack.yml", "--stack", &stack.name, "--yes", "--timeout", "240"])
        .env("STACK", &stack.name)
        .env("SECOPS_PAUSE_AT", "secret-object")
        .env("SECOPS_PAUSE_FILE", &marker)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docker-secops runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while !marker.exists() {
        assert!(std::time::Instant::now() < deadline, "never reached secret-object");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let kill = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status().expect("kill");
    assert!(kill.success());
    std::thread::sleep(std::time::Duration::from_millis(300));
    std::fs::remove_file(&marker).expect("release the pause");
    let out = child.wait_with_output().expect("docker-secops ends");
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("SIGINT received after the consumers were recreated: finishing"), "{stderr}");
    let after = assert_consistent(&stack, "SIGINT during the rolling updates");
    assert_ne!(after, before, "the rotation completed");
    assert_ne!(redis_cli(&stack, &before, &["PING"]), "PONG", "the old value is revoked");
}

const ROOT_PASSWORD: &str = "swarm-maria-file-root-8c1e5a3f7b2d9046";

/// MariaDB whose root password comes from a file secret (`MARIADB_ROOT_PASSWORD_FILE`), and an app with 2
/// replicas logging in as root every 10 ms with the value its task's copy of the secret holds.
const MARIADB_STACK: &str = r#"services:
  mariadb:
    image: secops-test/mariadb:10.11
    environment:
      MARIADB_ROOT_PASSWORD_FILE: /run/secrets/db_root
      MARIADB_DATABASE: app
    secrets: [db_root]
    volumes:
      - mariadata:/var/lib/mysql
    healthcheck:
      test: ["CMD", "healthcheck.sh", "--connect", "--innodb_initialized"]
      interval: 1s
      timeout: 5s
      retries: 90
    deploy:
      endpoint_mode: dnsrr
  app:
    image: secops-test/app:1
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do
          echo "probe $$(MYSQL_PWD="$$(cat /run/secrets/db_root)" mariadb -h mariadb -u root -N -e 'SELECT 1' 2>&1 | tr '\n' ' ' | head -c 200)"
          sleep 0.01
        done
    secrets: [db_root]
    healthcheck:
      test: ["CMD-SHELL", "MYSQL_PWD=\"$$(cat /run/secrets/db_root)\" mariadb -h mariadb -u root -N -e 'SELECT 1'"]
      interval: 1s
      timeout: 5s
      retries: 60
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      update_config:
        order: start-first
volumes:
  mariadata:
secrets:
  db_root:
    name: ${STACK}_db_root_${DB_ROOT_VERSION}
    file: ./db_root.txt
"#;

#[test]
fn rotate_a_mariadb_root_file_secret_on_a_stack_keeps_both_passwords_until_every_task_runs_the_new_object() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let files = [
        ("stack.yml", MARIADB_STACK.to_string()),
        ("db_root.txt", format!("{ROOT_PASSWORD}\n")),
        (".env", "DB_ROOT_VERSION=1\n".to_string()),
    ];
    let stack = SwarmStack::deploy_files("mariafile", &files, &[("mariadb", 1), ("app", 2)]);
    let app_before = task_containers(&stack, "app");
    let new_object = format!("{}_db_root_2", stack.name);

    let out = stack.secops("rotate", &["db_root", "--yes", "--timeout", "240"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let new = std::fs::read_to_string(stack.dir().join("db_root.txt")).expect("read").trim_end().to_string();
    assert_ne!(new, ROOT_PASSWORD);
    for value in [ROOT_PASSWORD, new.as_str()] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "rotate printed a password: {stdout}{stderr}");
    }
    assert_eq!(std::fs::read_to_string(stack.dir().join(".env")).expect("read"), "DB_ROOT_VERSION=2\n");
    for name in ["app", "mariadb"] {
        let running = task_secrets(&stack, name);
        assert!(!running.is_empty() && running.iter().all(|s| *s == new_object), "{name} tasks run {running:?}");
    }
    assert_eq!(secret_objects(&stack), std::slice::from_ref(&new_object), "the old object is removed");
    let app_after = task_containers(&stack, "app");
    assert!(app_after.len() == 2 && app_after.iter().all(|id| !app_before.contains(id)), "every app task replaced");

    let probe = ProbeCount::of(&stack, "app", "1", &["Access denied"], "mariadb file secret probe");
    assert!(probe.ok > 50, "the probe ran: {} answers", probe.ok);
    assert!(probe.refused.is_empty(), "refused logins during the rotation: {:?}", probe.refused);

    let app = task_containers(&stack, "app").into_iter().next().expect("an app task");
    let login = |password: &str| {
        let pwd = format!("MYSQL_PWD={password}");
        let out = docker(&["exec", "-e", &pwd, &app, "mariadb", "-h", "mariadb", "-u", "root", "-N", "-e", "SELECT 1"]);
        lossy(&out.stdout).trim() == "1"
    };
    assert!(login(&new), "the new password logs in");
    assert!(!login(ROOT_PASSWORD), "the old password is refused after finish");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
}
