//! Faults in the middle of a live rotation (issue "Hardening" §4), injected at an exact step boundary: the
//! rotation is paused there (`SECOPS_PAUSE_AT`, `fault-injection` feature), the test stops Redis, cuts the Docker
//! engine off or sends SIGINT/SIGTERM, then lets it go on. Each case must end with the env file's value logging
//! in, the data intact and the stack in sync, after `--resume` or `--rollback` where the process could not finish.
#![cfg(feature = "fault-injection")]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use docker_secops::rotation::Step;

use super::engine_proxy::EngineProxy;
use super::rotate::{FILES, env_value, id, journal_exists, up};
use super::stack::{Stack, lossy};

/// A docker-secops process under test: its stderr read as it comes, optionally paused at a fault point.
struct Job {
    child: Child,
    lines: mpsc::Receiver<String>,
    stderr: String,
    marker: PathBuf,
}

/// How a job ended.
struct Ended {
    status: std::process::ExitStatus,
    stderr: String,
}

impl Job {
    /// Starts `docker-secops ARGS -p PROJECT` with `env`; pauses at `pause_at` if given. With `own_group` it leads a
    /// process group of its own, as a shell's foreground job does, so that [`Job::ctrl_c`] reaches it and every
    /// child it started in that group, like a Ctrl-C at the terminal.
    fn start(stack: &Stack, args: &[&str], pause_at: Option<&str>, env: &[(&str, String)], own_group: bool) -> Job {
        use std::os::unix::process::CommandExt;
        let marker = stack.dir().join(".paused");
        let mut command = crate::support::secops(stack.dir());
        command.args(args).args(["-p", &stack.project]).envs(env.iter().map(|(k, v)| (k, v)));
        if let Some(point) = pause_at {
            command.env("SECOPS_PAUSE_AT", point).env("SECOPS_PAUSE_FILE", &marker);
        }
        if own_group {
            command.process_group(0);
        }
        let mut child = command.stdout(Stdio::null()).stderr(Stdio::piped()).spawn().expect("starts");
        let stderr = child.stderr.take().expect("stderr piped");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut job = Job { child, lines, stderr: String::new(), marker };
        if let Some(point) = pause_at {
            job.wait_paused(point);
        }
        job
    }

    /// `rotate redis --yes` on the rotation fixture, paused at `point`.
    fn rotation(stack: &Stack, point: &str, env: &[(&str, String)]) -> Job {
        let args = [&["rotate", "redis", "--yes", "--timeout", "30"][..], &FILES[..]].concat();
        Job::start(stack, &args, Some(point), env, false)
    }

    fn wait_paused(&mut self, point: &str) {
        let until = Instant::now() + Duration::from_secs(120);
        while !self.marker.exists() {
            if let Ok(Some(status)) = self.child.try_wait() {
                self.drain(Duration::from_secs(1));
                panic!("ended ({status}) before pausing at {point}: {}", self.stderr);
            }
            assert!(Instant::now() < until, "did not reach {point} in 120 s: {}", self.stderr);
            self.drain(Duration::from_millis(20));
        }
    }

    /// Reads stderr until a line holds `needle` (at most 60 s).
    fn wait_for(&mut self, needle: &str) {
        let until = Instant::now() + Duration::from_secs(60);
        while Instant::now() < until {
            if let Ok(line) = self.lines.recv_timeout(Duration::from_millis(100)) {
                let found = line.contains(needle);
                self.stderr.push_str(&line);
                self.stderr.push('\n');
                if found {
                    return;
                }
            }
        }
        panic!("no {needle:?} on stderr in 60 s: {}", self.stderr);
    }

    fn drain(&mut self, wait: Duration) {
        while let Ok(line) = self.lines.recv_timeout(wait) {
            self.stderr.push_str(&line);
            self.stderr.push('\n');
        }
    }

    /// Sends `signal` (`INT`, `TERM`) to the process, and waits until it says it received it.
    fn signal(&mut self, signal: &str) {
        let status = Command::new("kill").args(["-s", signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
        self.wait_for(&format!("SIG{signal}"));
    }

    /// Sends `SIGINT` to the process group the job leads, as Ctrl-C does, and waits until it says it received it.
    fn ctrl_c(&mut self) {
        let group = format!("-{}", self.child.id());
        let status = Command::new("kill").args(["-s", "INT", "--", &group]).status().expect("kill");
        assert!(status.success());
        self.wait_for("SIGINT");
    }

    /// Lets the job go on past its pause.
    fn release(&self) {
        let _ = std::fs::remove_file(&self.marker);
    }

    /// Kills the job (SIGKILL: a crash, nothing of it runs on) where it is paused, and waits for it to end.
    fn kill(mut self) -> std::process::ExitStatus {
        self.child.kill().expect("kill");
        let status = self.child.wait().expect("ends");
        self.release();
        status
    }

    /// Releases the job and waits for it to end.
    fn end(mut self) -> Ended {
        self.release();
        let status = self.child.wait().expect("ends");
        self.drain(Duration::from_millis(500));
        Ended { status, stderr: self.stderr }
    }
}

/// Redis answers at all (a login or a refusal, not a connection error), retrying while it starts.
fn answers(stack: &Stack, password: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(60);
    loop {
        let reply = stack.redis_cli(password, "ping");
        if reply == "PONG" || reply.contains("WRONGPASS") || reply.contains("NOAUTH") {
            return true;
        }
        if Instant::now() > until {
            return false;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Redis answers `PING` with `password` (retrying while it starts).
fn logs_in(stack: &Stack, password: &str) -> bool {
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let reply = stack.redis_cli(password, "ping");
        if reply == "PONG" || reply.contains("WRONGPASS") || Instant::now() > until {
            return reply == "PONG";
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The end state every fault must reach: the env file's value logs in, the data is there, no journal is left and
/// every container runs with the env file's value.
fn assert_consistent(stack: &Stack, case: &str) -> String {
    let value = env_value(stack, "REDIS_PASSWORD");
    assert!(logs_in(stack, &value), "{case}: the env file's value does not log in");
    assert_eq!(stack.redis_cli(&value, "get survivor"), "yes", "{case}: data lost");
    assert!(!journal_exists(stack), "{case}: journal left");
    // Consumers whose healthcheck failed while Redis was away turn healthy again at their next check.
    let until = Instant::now() + Duration::from_secs(30);
    loop {
        let (code, status) = stack.status_json(&FILES);
        if code == Some(0) {
            return value;
        }
        assert!(Instant::now() < until, "{case}: status {status}");
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// `mode` (`--resume` / `--rollback`) brings the stack to a consistent state: the old value `before` after a
/// rollback, a new one after a resume.
fn recover_to(stack: &Stack, mode: &str, case: &str, before: &str) {
    recover(stack, mode, case);
    let value = assert_consistent(stack, case);
    assert_eq!(value == before, mode == "--rollback", "{case}");
}

fn recover(stack: &Stack, mode: &str, case: &str) {
    let out = stack.secops(&[&["rotate", mode, "--yes"], &FILES[..]].concat());
    assert!(out.status.success(), "{case}: {mode} failed: {}", lossy(&out.stderr));
}

#[test]
fn sigint_and_sigterm_at_every_step_stop_at_the_boundary_and_roll_back() {
    let Some(stack) = up("signals", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    for step in [Step::Staged, Step::Set, Step::Tested, Step::Committed, Step::Recreated] {
        for (signal, code) in [("INT", 130), ("TERM", 143)] {
            let case = format!("SIG{signal} after {step:?}");
            let before = env_value(&stack, "REDIS_PASSWORD");
            let app = stack.container_id("app");
            let mut job = Job::rotation(&stack, step.as_str(), &[]);
            job.signal(signal);
            let out = job.end();
            let value = assert_consistent(&stack, &case);
            if step < Step::Recreated {
                // Stopped before the consumers moved: everything is rolled back, exit 128 + signal.
                assert_eq!(out.status.code(), Some(code), "{case}: {}", out.stderr);
                assert!(out.stderr.contains("REDIS_PASSWORD keeps its old value"), "{case}: {}", out.stderr);
                assert_eq!(value, before, "{case}: the old value must be back");
                assert_eq!(passwords(&stack, &before), 1, "{case}: the new value must be revoked too");
                // Stopped before `recreate`: the consumers were never touched, so they are not recreated back.
                assert_eq!(stack.container_id("app"), app, "{case}: app recreated for nothing");
            } else {
                // Every consumer already runs with the new value: the rotation finishes.
                assert!(out.status.success(), "{case}: {}", out.stderr);
                assert!(out.stderr.contains("received after the consumers were recreated: finishing"), "{case}");
                assert_ne!(value, before, "{case}: the rotation should have finished");
                assert!(!logs_in(&stack, &before), "{case}: the old value was not revoked");
            }
        }
    }
}

/// How many passwords Redis's default user has (logged in with `password`): two only inside the dual window.
fn passwords(stack: &Stack, password: &str) -> usize {
    let acl = stack.redis_cli(password, "acl list");
    acl.lines().filter(|l| l.contains("user default")).map(|l| l.matches(" #").count()).sum()
}

#[test]
fn a_second_signal_exits_at_once_and_resume_finishes_the_rotation() {
    let Some(stack) = up("signals-twice", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    let before = env_value(&stack, "REDIS_PASSWORD");
    let mut job = Job::rotation(&stack, Step::Committed.as_str(), &[]);
    job.signal("TERM");
    job.signal("TERM");
    let out = job.end();
    assert_eq!(out.status.code(), Some(143), "{}", out.stderr);
    assert!(out.stderr.contains("exiting now") && out.stderr.contains("--resume"), "{}", out.stderr);
    assert!(journal_exists(&stack), "the journal must survive an immediate exit");
    let leftovers: Vec<_> = std::fs::read_dir(stack.dir())
        .expect("dir")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().contains(".secops-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    recover(&stack, "--resume", "after two SIGTERMs");
    let value = assert_consistent(&stack, "after two SIGTERMs");
    assert_ne!(value, before);
}

#[test]
fn redis_stopped_mid_rotation_leaves_a_working_credential() {
    let Some(stack) = up("redis-stopped", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    // Stopped before `set`, `test` or the recreation, the rotation cannot complete nor undo what it did in Redis:
    // it keeps the journal and says so (exit 2). Stopped after the recreation, only the revocation is left.
    let cases = [
        (Step::Staged, "--rollback", "the rollback did not complete"),
        (Step::Set, "--resume", "the rollback did not complete"),
        (Step::Set, "--rollback", "the rollback did not complete"),
        (Step::Tested, "--resume", "the rollback did not complete"),
        (Step::Committed, "--rollback", "the rollback did not complete"),
        (Step::Recreated, "--resume", "cannot be reached to revoke the old one"),
    ];
    for (step, mode, says) in cases {
        let case = format!("redis stopped after {step:?}, then {mode}");
        let before = env_value(&stack, "REDIS_PASSWORD");
        let job = Job::rotation(&stack, step.as_str(), &[]);
        stack.compose_ok(&[&FILES[..], &["stop", "redis"]].concat());
        let out = job.end();
        assert_eq!(out.status.code(), Some(2), "{case}: {}", out.stderr);
        assert!(out.stderr.contains(says) && out.stderr.contains("`docker secops rotate --"), "{case}: {}", out.stderr);
        assert!(journal_exists(&stack), "{case}: the journal must be kept");
        // Redis comes back (the operator fixes the outage); the unfinished rotation is then completed or undone.
        stack.compose_ok(&[&FILES[..], &["start", "redis"]].concat());
        // `start` returns before Redis loaded its data: the operator's recovery comes once it answers.
        let value = env_value(&stack, "REDIS_PASSWORD");
        assert!(answers(&stack, &value), "{case}: redis did not come back");
        recover_to(&stack, mode, &case, &before);
    }
}

#[test]
fn the_engine_unreachable_during_recreate_is_rolled_back_then_completed() {
    let Some(stack) = up("engine-cut", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    for mode in ["--rollback", "--resume"] {
        let case = format!("engine cut after commit, then {mode}");
        let before = env_value(&stack, "REDIS_PASSWORD");
        let proxy = EngineProxy::start(&stack.dir().join("engine.sock"));
        let job = Job::rotation(&stack, Step::Committed.as_str(), &[("DOCKER_HOST", proxy.docker_host())]);
        proxy.cut();
        let out = job.end();
        assert_eq!(out.status.code(), Some(2), "{case}: {}", out.stderr);
        assert!(out.stderr.contains("the rollback did not complete"), "{case}: {}", out.stderr);
        // Redis took the old value back and the env file holds it again: consistent even before the recovery.
        assert_eq!(env_value(&stack, "REDIS_PASSWORD"), before, "{case}");
        assert!(logs_in(&stack, &before), "{case}: the old value must log in while the engine is away");
        assert!(journal_exists(&stack), "{case}: the journal must be kept");
        drop(proxy);
        recover_to(&stack, mode, &case, &before);
    }
}

#[test]
fn an_env_file_edited_between_plan_and_commit_is_refused_and_the_edit_survives_the_rollback() {
    let Some(stack) = up("edited-meanwhile", &[]) else { return };
    let before = env_value(&stack, "REDIS_PASSWORD");
    let job = Job::rotation(&stack, Step::Tested.as_str(), &[]);
    let mut text = std::fs::read_to_string(stack.env_file()).expect("env");
    text.push_str("FEATURE_FLAG=added-by-a-colleague\n");
    std::fs::write(stack.env_file(), &text).expect("their edit");
    let out = job.end();
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("changed since the rotation was planned"), "{}", out.stderr);
    // Their edit is kept, the old value is in place and is the one Redis accepts; nothing is pending.
    assert_eq!(std::fs::read_to_string(stack.env_file()).expect("env"), text);
    assert_eq!(env_value(&stack, "REDIS_PASSWORD"), before);
    assert!(logs_in(&stack, &before));
    assert_eq!(passwords(&stack, &before), 1, "the new value is revoked");
    assert!(!journal_exists(&stack));
}

#[test]
fn consumers_removed_when_the_engine_goes_away_come_back_with_rollback_and_with_resume() {
    let Some(stack) = up("half-recreated", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    // `id` is that of the running container: empty when the service has none.
    let running = |service: &str| !id(&stack, service).is_empty();
    // What a `compose up --force-recreate` cut off half-way leaves: the old containers of app and worker stopped and
    // removed, no new ones. Made here, at the point where the recreate step is about to run compose for them.
    let remove_consumers = || stack.compose_ok(&[&FILES[..], &["rm", "--stop", "--force", "app", "worker"]].concat());

    // The engine goes away while the consumers have no container.
    let before = env_value(&stack, "REDIS_PASSWORD");
    let proxy = EngineProxy::start(&stack.dir().join("engine.sock"));
    let job = Job::rotation(&stack, "replacing", &[("DOCKER_HOST", proxy.docker_host())]);
    remove_consumers();
    proxy.cut();
    let out = job.end();
    assert_eq!(out.status.code(), Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("the rollback did not complete"), "{}", out.stderr);
    assert!(!running("app") && !running("worker"), "nothing brought the consumers back while the engine was away");
    assert_eq!(env_value(&stack, "REDIS_PASSWORD"), before);
    assert!(logs_in(&stack, &before), "the old value must still log in");
    drop(proxy);
    recover(&stack, "--rollback", "engine lost mid-recreate");
    assert_eq!(assert_consistent(&stack, "engine lost mid-recreate, then --rollback"), before);
    assert!(running("app") && running("worker"));

    // The process dies (SIGKILL) in the same state: --resume creates the consumers with the new value.
    let job = Job::rotation(&stack, "replacing", &[]);
    remove_consumers();
    let crashed = job.kill();
    assert!(!crashed.success(), "the process was not killed: {crashed}");
    assert!(journal_exists(&stack), "a crash keeps the journal");
    assert!(!running("app") && !running("worker"));
    recover(&stack, "--resume", "crash mid-recreate");
    assert_ne!(assert_consistent(&stack, "crash mid-recreate, then --resume"), before);
    assert!(running("app") && running("worker"));
}

#[test]
fn ctrl_c_at_the_terminal_while_compose_runs_lets_compose_finish_and_the_rotation_completes() {
    let Some(stack) = up("ctrl-c-rotate", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    let before = env_value(&stack, "REDIS_PASSWORD");
    let args = [&["rotate", "redis", "--yes"][..], &FILES[..]].concat();
    // Paused while `docker compose up` of the consumers runs: Ctrl-C now, to the whole foreground job.
    let mut job = Job::start(&stack, &args, Some("compose-up"), &[], true);
    job.ctrl_c();
    let out = job.end();
    // Compose was not cancelled half-way (it has its own process group): the recreate step completed, and with
    // every consumer on the new value the rotation finished rather than recreating them all again.
    assert_eq!(out.status.code(), Some(0), "{}", out.stderr);
    assert!(out.stderr.contains("SIGINT received after the consumers were recreated: finishing"), "{}", out.stderr);
    // Said at once, not only when the (possibly long) recreate step ends.
    assert!(out.stderr.contains("SIGINT received during recreate: "), "{}", out.stderr);
    assert!(out.stderr.contains("so the rotation finishes (it is not rolled back)"), "{}", out.stderr);
    assert_ne!(assert_consistent(&stack, "Ctrl-C during compose up"), before);
    assert!(!logs_in(&stack, &before), "the old value is revoked");
}

#[test]
fn ctrl_c_during_recreate_brings_the_current_service_up_and_stops() {
    let Some(stack) = up("ctrl-c-recreate", &[]) else { return };
    let ids = |stack: &Stack| ["app", "worker"].map(|s| stack.container_id(s));
    let before = ids(&stack);
    let args = [&["recreate", "app", "worker"][..], &FILES[..]].concat();
    let mut job = Job::start(&stack, &args, Some("compose-up"), &[], true);
    job.ctrl_c();
    let out = job.end();
    assert_eq!(out.status.code(), Some(130), "{}", out.stderr);
    assert!(out.stderr.contains("not recreated: worker"), "{}", out.stderr);
    // No service is left without a container: app was brought up again (new id), worker kept its container.
    let after = ids(&stack);
    assert_ne!(after[0], before[0], "the service in progress finishes");
    assert_eq!(after[1], before[1], "the next service is left alone");
    let (code, status) = stack.status_json(&FILES);
    assert_eq!(code, Some(0), "{status}");
}
