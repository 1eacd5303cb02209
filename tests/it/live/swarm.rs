//! `status --stack` against a real single-node Swarm made by the test: tasks, the secret versions each service
//! runs, and drift of env and secret files against what the stack was deployed with.
//!
//! The swarm is started only when `docker info` shows none (and then always left, even when the test fails);
//! an active swarm that is not ours is used as it is and only our stack is removed from it. A swarm test has the
//! engine to itself (`engine_mode`): no compose test runs beside its init and leave.
#![allow(clippy::print_stderr)]

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

use super::stack::{OPT_IN, key, lossy, service};
use crate::support::secops;

const PASSWORD: &str = "swarm-redis-pw-3c9e1a7b5d2f4e60";
const JWT: &str = "swarm-jwt-secret-8a1f5c3e9b7d2046";

/// The swarm for one test: left on drop when this test started it.
pub(super) struct SwarmGuard {
    started: bool,
    /// The gateway bridge existed before the swarm was started (leaving does not remove it).
    had_gateway: bool,
    _engine: super::engine_mode::Exclusive,
}

impl SwarmGuard {
    pub(super) fn acquire() -> Option<SwarmGuard> {
        if std::env::var(OPT_IN).as_deref() != Ok("1") {
            crate::support::skip(&format!("set {OPT_IN}=1 to run tests against the Docker engine"));
            return None;
        }
        let engine = super::engine_mode::exclusive();
        let state = docker(&["info", "--format", "{{.Swarm.LocalNodeState}}"]);
        let state = lossy(&state.stdout).trim().to_string();
        let had_gateway = docker(&["network", "inspect", "docker_gwbridge"]).status.success();
        let started = match state.as_str() {
            "active" => false,
            "inactive" => {
                let out = docker(&["swarm", "init", "--advertise-addr", "127.0.0.1"]);
                assert!(out.status.success(), "swarm init: {}", lossy(&out.stderr));
                true
            }
            other => panic!("swarm state {other:?}: neither active nor inactive"),
        };
        Some(SwarmGuard { started, had_gateway, _engine: engine })
    }
}

impl Drop for SwarmGuard {
    fn drop(&mut self) {
        if self.started {
            let out = docker(&["swarm", "leave", "--force"]);
            if !out.status.success() {
                eprintln!("docker swarm leave --force failed: {}", lossy(&out.stderr));
            }
            // Leaving keeps the gateway bridge the swarm created.
            if !self.had_gateway {
                let _ = docker(&["network", "rm", "docker_gwbridge"]);
            }
        }
    }
}

/// A stack deployed from a copy of a small compose file: Redis (its password from an env file) and a file secret
/// with a versioned name holding the same password, and an app with 2 replicas that logs in with its env value
/// (its healthcheck, and a probe every 10 ms) and has a JWT from the env file.
pub(super) struct SwarmStack {
    dir: tempfile::TempDir,
    pub(super) name: String,
}

const STACK_FILE: &str = r#"services:
  redis:
    image: secops-test/redis:7
    # The password reaches redis-server as config on stdin, never on a command line.
    command: ["sh", "-c", "exec redis-server - --appendonly yes <<EOF\nrequirepass \"$$REDIS_PASSWORD\"\nEOF\n"]
    env_file: app.env
    secrets: [redis_pw]
    volumes:
      - redis-data:/data
    healthcheck:
      test: ["CMD-SHELL", "REDISCLI_AUTH=\"$$REDIS_PASSWORD\" redis-cli --no-auth-warning ping | grep -q PONG"]
      interval: 1s
      timeout: 3s
      retries: 20
    deploy:
      endpoint_mode: dnsrr
  app:
    image: secops-test/app:1
    # A login probe every 10 ms with the password this task holds, one line per answer in the task's own log
    # (which outlives a Redis restart, unlike Redis's ACL LOG).
    command:
      - sh
      - -c
      - |
        trap 'exit 0' TERM
        while :; do
          echo "probe $$(REDISCLI_AUTH="$$REDIS_PASSWORD" redis-cli --no-auth-warning -h redis ping 2>&1 | head -c 80)"
          sleep 0.01
        done
    env_file: app.env
    secrets: [redis_pw]
    healthcheck:
      test: ["CMD", "/usr/local/bin/healthcheck"]
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
"#;

impl SwarmStack {
    fn deploy(test: &str) -> SwarmStack {
        let env = format!(
            "REDIS_HOST=redis\nREDIS_PASSWORD={PASSWORD}\nREDIS_URL=redis://:{PASSWORD}@redis:6379/0\nJWT_SECRET_KEY={JWT}\n"
        );
        let files =
            [("stack.yml", STACK_FILE.to_string()), ("redis_pw.txt", format!("{PASSWORD}\n")), ("app.env", env)];
        SwarmStack::deploy_files(test, &files, &[("redis", 1), ("app", 2)])
    }

    /// Writes `files` into a new directory, deploys its `stack.yml` with `.env` exported as compose would read
    /// it (`docker stack deploy` reads only the process environment), and waits for `services` to run.
    pub(super) fn deploy_files(test: &str, files: &[(&str, String)], services: &[(&str, usize)]) -> SwarmStack {
        let dir = tempfile::tempdir().expect("tempdir");
        let name =
            format!("secops{}{}", test.replace('_', "").chars().take(12).collect::<String>(), std::process::id());
        for (file, text) in files {
            std::fs::write(dir.path().join(file), text).expect("write stack file");
        }
        let stack = SwarmStack { dir, name };
        let dotenv = std::fs::read_to_string(stack.dir().join(".env")).unwrap_or_default();
        let vars: Vec<(&str, &str)> = dotenv.lines().filter_map(|l| l.split_once('=')).collect();
        let mut deploy = Command::new("docker");
        deploy.args(["stack", "deploy", "--resolve-image", "never", "-c", "stack.yml", &stack.name]);
        let out = deploy.current_dir(stack.dir()).env("STACK", &stack.name).envs(vars).output().expect("docker runs");
        assert!(out.status.success(), "stack deploy: {}", lossy(&out.stderr));
        stack.wait_running(services);
        stack
    }

    pub(super) fn dir(&self) -> &Path {
        self.dir.path()
    }

    pub(super) fn run(&self, program: &str, args: &[&str]) -> Output {
        Command::new(program)
            .args(args)
            .current_dir(self.dir())
            .env("STACK", &self.name)
            .output()
            .expect("command runs")
    }

    /// Waits until each service runs its replicas (a bound for a broken engine, not a speed assertion).
    pub(super) fn wait_running(&self, services: &[(&str, usize)]) {
        let deadline = Instant::now() + Duration::from_secs(180);
        loop {
            let ready = services.iter().all(|(service, replicas)| {
                let out = docker(&[
                    "service",
                    "ps",
                    "--filter",
                    "desired-state=running",
                    "--format",
                    "{{.CurrentState}}",
                    &format!("{}_{service}", self.name),
                ]);
                lossy(&out.stdout).lines().filter(|l| l.starts_with("Running")).count() == *replicas
            });
            if ready {
                return;
            }
            assert!(Instant::now() < deadline, "stack {} never ran its tasks", self.name);
            std::thread::sleep(Duration::from_millis(500));
        }
    }

    /// `docker secops COMMAND -f stack.yml --stack NAME ARGS...` in the stack's directory, with `env` set.
    pub(super) fn secops(&self, command: &str, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut run = secops(self.dir());
        run.args([command, "-f", "stack.yml", "--stack", &self.name]).args(args).env("STACK", &self.name);
        run.envs(env.iter().copied()).output().expect("docker-secops runs")
    }

    pub(super) fn status(&self, extra: &[&str], env: &[(&str, &str)]) -> Output {
        self.secops("status", extra, env)
    }

    pub(super) fn status_json(&self, env: &[(&str, &str)]) -> (Option<i32>, serde_json::Value) {
        let out = self.status(&["--format", "json"], env);
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
            panic!("status JSON ({err}): stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr))
        });
        (out.status.code(), json)
    }
}

impl Drop for SwarmStack {
    fn drop(&mut self) {
        let out = self.run("docker", &["stack", "rm", &self.name]);
        if !out.status.success() {
            eprintln!("docker stack rm {} failed: {}", self.name, lossy(&out.stderr));
        }
        // The stack's containers and network go away asynchronously; wait so the swarm leaves cleanly.
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            let out = docker(&["ps", "-aq", "--filter", &format!("label=com.docker.stack.namespace={}", self.name)]);
            if lossy(&out.stdout).trim().is_empty() {
                break;
            }
            std::thread::sleep(Duration::from_millis(500));
        }
        // Every volume the stack made (`docker stack deploy` labels them), whatever the test's stack file names.
        let label = format!("label=com.docker.stack.namespace={}", self.name);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let out = docker(&["volume", "ls", "-q", "--filter", &label]);
            let volumes: Vec<String> = lossy(&out.stdout).lines().map(str::to_string).collect();
            if volumes.is_empty() || Instant::now() >= deadline {
                break;
            }
            // A volume still held by a container that is going away is refused: try again.
            let _ = docker(&[&["volume", "rm"][..], &volumes.iter().map(String::as_str).collect::<Vec<_>>()].concat());
            std::thread::sleep(Duration::from_millis(500));
        }
    }
}

pub(super) fn docker(args: &[&str]) -> Output {
    Command::new("docker").args(args).output().expect("docker runs")
}

#[test]
fn status_on_a_stack_shows_tasks_secret_versions_and_drift() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = SwarmStack::deploy("status");

    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "a freshly deployed stack is in sync: {status:#}");
    let app = service(&status, "app");
    assert_eq!(app["swarm"]["replicas"], 2, "{app:#}");
    assert_eq!(app["replicas"], 2, "running tasks: {app:#}");
    assert!(app["down"].is_null(), "{app:#}");
    let secret = &app["swarm"]["secrets"][0];
    let version_1 = format!("{}_redis_pw_1", stack.name);
    assert_eq!(
        (secret["secret_name"].as_str(), secret["target"].as_str()),
        (Some(version_1.as_str()), Some("redis_pw"))
    );
    assert_eq!(secret["declared"], secret["secret_name"]);
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "in_sync");
    assert_eq!(key(&status, "app", "redis_pw")["drift"], "in_sync");
    assert_eq!(key(&status, "redis", "redis_pw")["drift"], "in_sync");
    // The store is reached at its task container's address on the gateway bridge, from this host.
    let probe = &key(&status, "app", "REDIS_PASSWORD")["probe"];
    assert_eq!(probe["result"], "ok", "{probe:#}");
    let gateway =
        docker(&["network", "inspect", "docker_gwbridge", "--format", "{{range .Containers}}{{.IPv4Address}} {{end}}"]);
    let address = probe["address"].as_str().and_then(|a| a.split(':').next()).unwrap_or("?").to_string();
    assert!(lossy(&gateway.stdout).split_whitespace().any(|ip| ip.split('/').next() == Some(&address)), "{probe:#}");

    // The files now name version 2 of the secret: the stack runs another version than they say.
    let (code, status) = stack.status_json(&[("PW_VERSION", "2")]);
    assert_eq!(code, Some(1), "{status:#}");
    let declared = format!("{}_redis_pw_2", stack.name);
    assert_eq!(service(&status, "app")["swarm"]["secrets"][0]["declared"].as_str(), Some(declared.as_str()));
    let out = stack.status(&[], &[("PW_VERSION", "2")]);
    let text = lossy(&out.stdout);
    assert!(text.contains(&format!("the files name {declared}: run docker stack deploy")), "{text}");

    // A secret file written after its Swarm secret object was made, and a changed env value: both stale.
    std::thread::sleep(Duration::from_millis(1100));
    std::fs::write(stack.dir().join("redis_pw.txt"), "swarm-redis-pw-edited-71d0c2\n").expect("edit secret");
    std::fs::write(
        stack.dir().join("app.env"),
        format!("REDIS_HOST=redis\nREDIS_PASSWORD={PASSWORD}\nJWT_SECRET_KEY=swarm-jwt-edited-0b6e4d\n"),
    )
    .expect("edit env");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(1), "{status:#}");
    let secret = key(&status, "app", "redis_pw");
    assert_eq!(
        (secret["drift"].as_str(), &secret["file_changed_after_created"]),
        (Some("stale"), &serde_json::json!(true))
    );
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "stale");
    let out = stack.status(&[], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert!(stdout.contains("tasks 2/2 running") && stdout.contains("docker stack deploy -c FILE"), "{stdout}");
    for value in [PASSWORD, JWT, "swarm-redis-pw-edited-71d0c2", "swarm-jwt-edited-0b6e4d"] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "status printed a secret: {stdout}{stderr}");
    }
}

#[test]
fn status_on_a_stack_counts_a_service_whose_tasks_fail() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = SwarmStack::deploy("failing");
    // The app's healthcheck now fails: Swarm replaces its tasks over and over, and none stays running.
    let out =
        docker(&["service", "update", "--detach", "--env-add", "APP_FAIL_HEALTH=1", &format!("{}_app", stack.name)]);
    assert!(out.status.success(), "service update: {}", lossy(&out.stderr));
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        let (code, status) = stack.status_json(&[]);
        let down = service(&status, "app")["down"].as_str().map(str::to_string);
        if code == Some(1) && down.is_some() {
            break status;
        }
        assert!(Instant::now() < deadline, "the failing app never showed as down: {status:#}");
        std::thread::sleep(Duration::from_millis(500));
    };
    let app = service(&status, "app");
    let down = app["down"].as_str().unwrap_or_default();
    assert!(down.contains("tasks running") || down.starts_with("update "), "{app:#}");
    assert!(service(&status, "redis")["down"].is_null(), "redis still runs: {status:#}");
}

/// The IDs of the running task containers of `service`.
pub(super) fn task_containers(stack: &SwarmStack, service: &str) -> Vec<String> {
    let filter = format!("label=com.docker.swarm.service.name={}_{service}", stack.name);
    let out = docker(&["ps", "-q", "--no-trunc", "--filter", &filter]);
    let mut ids: Vec<String> = lossy(&out.stdout).lines().map(str::to_string).collect();
    ids.sort();
    ids
}

#[test]
fn recreate_on_a_stack_rolls_the_env_files_values_out_and_stops_at_an_update_that_pauses() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = SwarmStack::deploy("recreate");
    let before = task_containers(&stack, "app");
    assert_eq!(before.len(), 2, "{before:?}");
    let edited = "swarm-jwt-rolled-out-4f1e9d";
    let env =
        |jwt: &str, extra: &str| format!("REDIS_HOST=redis\nREDIS_PASSWORD={PASSWORD}\nJWT_SECRET_KEY={jwt}\n{extra}");
    std::fs::write(stack.dir().join("app.env"), env(edited, "")).expect("edit env");
    assert_eq!(key(&stack.status_json(&[]).1, "app", "JWT_SECRET_KEY")["drift"], "stale");

    let out = stack.secops("recreate", &["app"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.contains("rolling update started"), "{stderr}");
    let after = task_containers(&stack, "app");
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(after.iter().all(|id| !before.contains(id)), "every task replaced: {before:?} -> {after:?}");
    let status = stack.status_json(&[]).1;
    assert_eq!(key(&status, "app", "JWT_SECRET_KEY")["drift"], "in_sync");
    // Only the named service was updated: redis reads the same env file and still runs the old value.
    assert_eq!(key(&status, "redis", "JWT_SECRET_KEY")["drift"], "stale");
    assert!(!stdout.contains(edited) && !stderr.contains(edited), "recreate printed a secret");

    // A value the app cannot come up with: the update pauses (start-first keeps the old tasks serving), and
    // recreate says so and fails.
    std::fs::write(stack.dir().join("app.env"), env(edited, "APP_FAIL_HEALTH=1\n")).expect("edit env");
    let out = stack.secops("recreate", &["app", "--timeout", "240"], &[]);
    let text = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains("the rolling update did not complete: paused"), "{text}");
    // (A new task that never got healthy may still be starting beside them when the update pauses.)
    let now = task_containers(&stack, "app");
    assert!(
        after.iter().all(|id| now.contains(id)),
        "start-first: the tasks that worked still serve: {after:?} -> {now:?}"
    );
}

/// `redis-cli` in the stack's Redis task container, authenticated with `password` through the environment.
pub(super) fn redis_cli(stack: &SwarmStack, password: &str, args: &[&str]) -> String {
    let id = task_containers(stack, "redis").into_iter().next().expect("a running redis task");
    let auth = format!("REDISCLI_AUTH={password}");
    let out = docker(&[&["exec", "-e", &auth, &id, "redis-cli", "--no-auth-warning"], args].concat());
    lossy(&out.stdout).trim().to_string()
}

#[test]
fn rotate_on_a_stack_changes_redis_and_rolls_every_consumer_onto_the_new_value() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let stack = SwarmStack::deploy("rotate");
    // The secret file holds the Redis password too: it changes with the env files, as a new versioned secret
    // object that every service mounting it is moved to.
    assert_eq!(redis_cli(&stack, PASSWORD, &["SET", "kept", "before-rotation"]), "OK");
    let app_before = task_containers(&stack, "app");
    let redis_before = task_containers(&stack, "redis");

    let out = stack.secops("rotate", &["REDIS_PASSWORD", "--yes"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    assert!(!stdout.contains(PASSWORD) && !stderr.contains(PASSWORD), "rotate printed the old value");

    let env = std::fs::read_to_string(stack.dir().join("app.env")).expect("read env");
    let new = env.lines().find_map(|l| l.strip_prefix("REDIS_PASSWORD=")).expect("REDIS_PASSWORD line").to_string();
    assert_ne!(new, PASSWORD);
    assert!(!stdout.contains(&new) && !stderr.contains(&new), "rotate printed the new value");
    let app_after = task_containers(&stack, "app");
    assert_eq!(app_after.len(), 2, "{app_after:?}");
    assert!(app_after.iter().all(|id| !app_before.contains(id)), "every app task replaced");
    assert_ne!(task_containers(&stack, "redis"), redis_before, "redis reads its password at start: updated too");
    assert_eq!(redis_cli(&stack, &new, &["GET", "kept"]), "before-rotation", "data kept");
    assert_eq!(redis_cli(&stack, &new, &["PING"]), "PONG");
    assert_ne!(redis_cli(&stack, PASSWORD, &["PING"]), "PONG", "the old password is refused");

    // Every answer every task got, old tasks included: none refused the password the task held.
    let probe = ProbeCount::of(&stack, "app", "PONG", &["WRONGPASS", "NOAUTH"], "probe during the rotation");
    assert!(probe.ok > 100, "the probe ran: {} answers", probe.ok);
    assert!(probe.refused.is_empty(), "refused logins during the rotation: {:?}", probe.refused);
    assert!(!probe.logs.contains(PASSWORD) && !probe.logs.contains(&new), "the probe printed a password");

    let file = std::fs::read_to_string(stack.dir().join("redis_pw.txt")).expect("read secret file");
    assert_eq!(file, format!("{new}\n"), "the secret file holding the same value changed with it");
    let objects = lossy(&docker(&["secret", "ls", "--format", "{{.Name}}"]).stdout).to_string();
    let objects: Vec<&str> = objects.lines().filter(|n| n.starts_with(&stack.name)).collect();
    assert_eq!(objects, [format!("{}_redis_pw_2", stack.name)], "the old object is gone");
    let (code, status) = stack.status_json(&[]);
    assert_eq!(code, Some(0), "{status:#}");
    assert_eq!(key(&status, "app", "redis_pw")["drift"], "in_sync", "{status:#}");
    for name in ["app", "redis"] {
        assert!(service(&status, name)["down"].is_null(), "{status:#}");
        for k in ["REDIS_PASSWORD", "REDIS_URL", "JWT_SECRET_KEY"] {
            assert_eq!(key(&status, name, k)["drift"], "in_sync", "{k} of {name}: {status:#}");
        }
    }
    assert_eq!(key(&status, "app", "REDIS_PASSWORD")["probe"]["result"], "ok");
    for id in &app_after {
        let out = docker(&["inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", id]);
        let env = lossy(&out.stdout);
        assert!(env.lines().any(|l| l == format!("REDIS_PASSWORD={new}")), "task {id} runs the new value");
        let url = format!("REDIS_URL=redis://:{new}@redis:6379/0");
        assert!(env.lines().any(|l| l == url), "task {id} runs the URL embedding the new value");
    }
}

const ROOT_PASSWORD: &str = "swarm-mariadb-root-5e0b7c2a9d41f836";

/// MariaDB whose root password the app's 2 replicas log in with every 10 ms (each with the value its task holds),
/// one line per answer in the task's own log.
const MARIADB_STACK: &str = r#"services:
  mariadb:
    image: secops-test/mariadb:10.11
    environment:
      MARIADB_ROOT_PASSWORD: ${MARIADB_ROOT_PASSWORD}
      MARIADB_DATABASE: app
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
          echo "probe $$(MYSQL_PWD="$$DB_PASSWORD" mariadb -h mariadb -u root -N -e 'SELECT 1' 2>&1 | head -c 80)"
          sleep 0.01
        done
    environment:
      SECOPS_APP_CHECK: mariadb
      DB_HOST: mariadb
      DB_USER: root
      DB_PASSWORD: ${MARIADB_ROOT_PASSWORD}
    healthcheck:
      test: ["CMD", "/usr/local/bin/healthcheck"]
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
"#;

/// The logs of every task container of `service`, the replaced ones included (`docker service logs` can hang on
/// engine 20.10).
pub(super) fn task_logs(stack: &SwarmStack, service: &str) -> String {
    let filter = format!("label=com.docker.swarm.service.name={}_{service}", stack.name);
    let all = docker(&["ps", "-aq", "--no-trunc", "--filter", &filter]);
    let mut logs = String::new();
    for id in lossy(&all.stdout).lines() {
        let out = docker(&["logs", id]);
        logs.push_str(&lossy(&out.stdout));
        logs.push_str(&lossy(&out.stderr));
    }
    logs
}

/// The answers of the login probe (`probe ANSWER` lines) in the task logs of a service, sorted: an answer equal to
/// the ok one (trimmed), refused (containing a refusal text), or anything else (connection errors).
pub(super) struct ProbeCount {
    pub(super) ok: usize,
    pub(super) refused: Vec<String>,
    pub(super) other: Vec<String>,
    /// The logs themselves, to check that no password was printed.
    pub(super) logs: String,
}

impl ProbeCount {
    /// Counts the answers of every task of `service` (the replaced ones included) and prints the counts as `what`.
    pub(super) fn of(stack: &SwarmStack, service: &str, ok: &str, refusals: &[&str], what: &str) -> ProbeCount {
        let logs = task_logs(stack, service);
        let mut count = ProbeCount { ok: 0, refused: Vec::new(), other: Vec::new(), logs: String::new() };
        for answer in logs.lines().filter_map(|l| l.strip_prefix("probe ")) {
            if answer.trim() == ok {
                count.ok += 1;
            } else if refusals.iter().any(|r| answer.contains(r)) {
                count.refused.push(answer.to_string());
            } else {
                count.other.push(answer.to_string());
            }
        }
        let (refused, other) = (count.refused.len(), count.other.len());
        eprintln!("{what}: {} ok, {refused} refused, {other} connection errors", count.ok);
        count.logs = logs;
        count
    }
}

#[test]
fn rotate_mariadb_on_a_stack_keeps_both_passwords_until_every_task_runs_the_new_one() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let files =
        [("stack.yml", MARIADB_STACK.to_string()), (".env", format!("MARIADB_ROOT_PASSWORD={ROOT_PASSWORD}\n"))];
    let stack = SwarmStack::deploy_files("mariadb", &files, &[("mariadb", 1), ("app", 2)]);
    let app_before = task_containers(&stack, "app");
    let db_before = task_containers(&stack, "mariadb");

    let out = stack.secops("rotate", &["MARIADB_ROOT_PASSWORD", "--yes"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let env = std::fs::read_to_string(stack.dir().join(".env")).expect("read .env");
    let new = env.lines().find_map(|l| l.strip_prefix("MARIADB_ROOT_PASSWORD=")).expect("key").to_string();
    assert_ne!(new, ROOT_PASSWORD);
    for value in [ROOT_PASSWORD, new.as_str()] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "rotate printed a password");
    }
    let app_after = task_containers(&stack, "app");
    assert!(app_after.len() == 2 && app_after.iter().all(|id| !app_before.contains(id)), "every app task replaced");
    assert_eq!(
        task_containers(&stack, "mariadb"),
        db_before,
        "the database keeps its task: its data dir has the password"
    );

    let probe = ProbeCount::of(&stack, "app", "1", &["Access denied"], "mariadb probe during the rotation");
    assert!(probe.ok > 100, "the probe ran: {} answers", probe.ok);
    assert!(probe.refused.is_empty(), "refused logins during the rotation: {:?}", probe.refused);

    let db = db_before.first().expect("db task");
    let login = |password: &str| {
        let pwd = format!("MYSQL_PWD={password}");
        let out = docker(&["exec", "-e", &pwd, db, "mariadb", "-h", "127.0.0.1", "-u", "root", "-N", "-e", "SELECT 1"]);
        lossy(&out.stdout).trim() == "1"
    };
    assert!(login(&new), "the new password logs in");
    assert!(!login(ROOT_PASSWORD), "the old password is refused after finish");
    let status = stack.status_json(&[]).1;
    assert_eq!(key(&status, "app", "DB_PASSWORD")["drift"], "in_sync", "{status:#}");
}

const PG_PASSWORD: &str = "swarm-postgres-pw-0a7d3e9c1b5f4862";

/// PostgreSQL whose password the app's 2 replicas log in with every 10 ms (each with the value its task holds).
const POSTGRES_STACK: &str = r#"services:
  db:
    image: secops-test/postgres:15
    environment:
      POSTGRES_USER: app
      POSTGRES_DB: app
      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}
    volumes:
      - pgdata:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-h", "127.0.0.1", "-U", "app", "-d", "app"]
      interval: 1s
      timeout: 5s
      retries: 60
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
          echo "probe $$(psql -h db -U app -d app -tAc 'SELECT 1' 2>&1 | tr '\n' ' ' | head -c 200)"
          sleep 0.01
        done
    environment:
      SECOPS_APP_CHECK: postgres
      PGHOST: db
      PGUSER: app
      PGDATABASE: app
      PGPASSWORD: ${POSTGRES_PASSWORD}
    healthcheck:
      test: ["CMD", "/usr/local/bin/healthcheck"]
      interval: 1s
      timeout: 5s
      retries: 60
    deploy:
      replicas: 2
      endpoint_mode: dnsrr
      update_config:
        order: start-first
volumes:
  pgdata:
"#;

#[test]
fn rotate_postgres_on_a_stack_counts_the_logins_refused_without_a_dual_window() {
    let Some(_swarm) = SwarmGuard::acquire() else { return };
    let files = [("stack.yml", POSTGRES_STACK.to_string()), (".env", format!("POSTGRES_PASSWORD={PG_PASSWORD}\n"))];
    let stack = SwarmStack::deploy_files("postgres", &files, &[("db", 1), ("app", 2)]);
    let app_before = task_containers(&stack, "app");
    let db_before = task_containers(&stack, "db");
    // Over the overlay network from an app task (the image trusts logins from the database's own loopback).
    let psql = |password: &str, sql: &str| {
        let app = task_containers(&stack, "app").into_iter().next().expect("an app task");
        let pg = format!("PGPASSWORD={password}");
        let out = docker(&["exec", "-e", &pg, &app, "psql", "-h", "db", "-U", "app", "-d", "app", "-tAc", sql]);
        (out.status.success(), lossy(&out.stdout).trim().to_string())
    };
    assert!(psql(PG_PASSWORD, "CREATE TABLE survivor (v text); INSERT INTO survivor VALUES ('yes')").0);

    let out = stack.secops("rotate", &["POSTGRES_PASSWORD", "--yes", "--timeout", "240"], &[]);
    let (stdout, stderr) = (lossy(&out.stdout), lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    let env = std::fs::read_to_string(stack.dir().join(".env")).expect("read .env");
    let new = env.lines().find_map(|l| l.strip_prefix("POSTGRES_PASSWORD=")).expect("key").to_string();
    assert_ne!(new, PG_PASSWORD);
    for value in [PG_PASSWORD, new.as_str()] {
        assert!(!stdout.contains(value) && !stderr.contains(value), "rotate printed a password");
    }
    let app_after = task_containers(&stack, "app");
    assert!(app_after.len() == 2 && app_after.iter().all(|id| !app_before.contains(id)), "every app task replaced");
    assert_eq!(task_containers(&stack, "db"), db_before, "the database keeps its task: its data dir has the password");
    assert_eq!(psql(&new, "SELECT v FROM survivor"), (true, "yes".to_string()), "new password logs in, data kept");
    assert!(!psql(PG_PASSWORD, "SELECT 1").0, "the old password is refused");

    // One password per role: from `set` until a task is replaced, its logins with the old one are refused.
    // Counted and reported, not asserted zero.
    let refusal = ["password authentication failed"];
    let probe = ProbeCount::of(&stack, "app", "1", &refusal, "postgres probe during the rotation");
    eprintln!("first connection error: {:?}", probe.other.first());
    let (ok, refused) = (probe.ok, probe.refused.len());
    // (Each psql login costs a fork and SCRAM: far fewer answers than redis-cli gives.)
    assert!(ok > 20 && refused + ok > 40, "the probe ran: {ok} ok, {refused} refused");
    let status = stack.status_json(&[]).1;
    assert_eq!(key(&status, "app", "PGPASSWORD")["drift"], "in_sync", "{status:#}");
}
