//! Faults in the middle of a live rotation (issue "Hardening" §4), injected at an exact step boundary: the
//! rotation is paused there (`SECOPS_PAUSE_AT`, `fault-injection` feature), the test stops Redis, cuts the Docker
//! engine off or sends SIGINT/SIGTERM, then lets it go on. Each case must end with the env file's value logging
//! in, the data intact and the stack in sync, after `--resume` or `--rollback` where the process could not finish.
#![cfg(feature = "fault-injection")]

use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use docker_secops::rotation::Step;

use super::engine_proxy::EngineProxy;
use super::rotate::{FILES, env_value, journal_exists, up};
use super::stack::{Stack, lossy};

/// A rotation of `redis` paused right after one step.
struct Paused {
    child: Child,
    marker: PathBuf,
}

impl Paused {
    /// Starts `rotate redis` with `env` and waits until it pauses at `step` (a [`Step`] name, or `removed`).
    fn start(stack: &Stack, step: &str, env: &[(&str, String)]) -> Paused {
        let marker = stack.dir().join(".paused");
        let mut child = crate::support::secops(stack.dir())
            .args([&["rotate", "redis", "--yes", "--timeout", "30", "-p", &stack.project][..], &FILES[..]].concat())
            .env("SECOPS_PAUSE_AT", step)
            .env("SECOPS_PAUSE_FILE", &marker)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("rotate starts");
        let until = Instant::now() + Duration::from_secs(120);
        while !marker.exists() {
            if let Ok(Some(status)) = child.try_wait() {
                let out = child.wait_with_output().expect("output");
                panic!("rotation ended ({status}) before pausing at {step}: {}", lossy(&out.stderr));
            }
            assert!(Instant::now() < until, "rotation did not reach {step} in 120 s");
            std::thread::sleep(Duration::from_millis(20));
        }
        Paused { child, marker }
    }

    /// Sends `signal` (`INT`, `TERM`) to the paused process.
    fn signal(&self, signal: &str) {
        let status = Command::new("kill").args(["-s", signal, &self.child.id().to_string()]).status().expect("kill");
        assert!(status.success());
    }

    /// Lets the rotation go on and waits for it to end.
    fn release(self) -> Output {
        let _ = std::fs::remove_file(&self.marker);
        self.child.wait_with_output().expect("rotate ends")
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
            let paused = Paused::start(&stack, step.as_str(), &[]);
            paused.signal(signal);
            let out = paused.release();
            let stderr = lossy(&out.stderr);
            let value = assert_consistent(&stack, &case);
            if step < Step::Recreated {
                // Stopped before the consumers moved: everything is rolled back, exit 128 + signal.
                assert_eq!(out.status.code(), Some(code), "{case}: {stderr}");
                assert!(
                    stderr.contains(&format!("SIG{signal} received")) && stderr.contains("rolled back"),
                    "{stderr}"
                );
                assert_eq!(value, before, "{case}: the old value must be back");
                assert_eq!(passwords(&stack, &before), 1, "{case}: the new value must be revoked too");
            } else {
                // Every consumer already runs with the new value: the rotation finishes.
                assert!(out.status.success(), "{case}: {stderr}");
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
    let paused = Paused::start(&stack, Step::Committed.as_str(), &[]);
    paused.signal("TERM");
    std::thread::sleep(Duration::from_millis(300));
    paused.signal("TERM");
    let out = paused.release();
    assert_eq!(out.status.code(), Some(143), "{}", lossy(&out.stderr));
    assert!(lossy(&out.stderr).contains("--resume"), "{}", lossy(&out.stderr));
    assert!(journal_exists(&stack), "the journal must survive an immediate exit");
    recover(&stack, "--resume", "after two SIGTERMs");
    let value = assert_consistent(&stack, "after two SIGTERMs");
    assert_ne!(value, before);
}

#[test]
fn redis_stopped_mid_rotation_leaves_a_working_credential() {
    let Some(stack) = up("redis-stopped", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    let cases = [
        (Step::Staged, "--rollback"),
        (Step::Set, "--resume"),
        (Step::Set, "--rollback"),
        (Step::Tested, "--resume"),
        (Step::Committed, "--rollback"),
    ];
    for (step, mode) in cases {
        let case = format!("redis stopped after {step:?}, then {mode}");
        let before = env_value(&stack, "REDIS_PASSWORD");
        let paused = Paused::start(&stack, step.as_str(), &[]);
        stack.compose_ok(&[&FILES[..], &["stop", "redis"]].concat());
        let out = paused.release();
        let stderr = lossy(&out.stderr);
        if !out.status.success() {
            assert!(stderr.contains("journal kept") || stderr.contains("Journal kept"), "{case}: {stderr}");
        }
        // Redis comes back (the operator fixes the outage); an unfinished rotation is then completed or undone.
        stack.compose_ok(&[&FILES[..], &["start", "redis"]].concat());
        if journal_exists(&stack) {
            recover(&stack, mode, &case);
        }
        let value = assert_consistent(&stack, &case);
        if mode == "--rollback" && !out.status.success() {
            assert_eq!(value, before, "{case}: rollback restores the old value");
        }
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
        let paused = Paused::start(&stack, Step::Committed.as_str(), &[("DOCKER_HOST", proxy.docker_host())]);
        proxy.cut();
        let out = paused.release();
        let stderr = lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{case}: {stderr}");
        assert!(stderr.contains("rollback did not complete") && stderr.contains(mode), "{case}: {stderr}");
        // Redis took the old value back and the env file holds it again: consistent even before the recovery.
        assert_eq!(env_value(&stack, "REDIS_PASSWORD"), before, "{case}");
        assert!(logs_in(&stack, &before), "{case}: the old value must log in while the engine is away");
        proxy.restore();
        drop(proxy);
        recover(&stack, mode, &case);
        let value = assert_consistent(&stack, &case);
        assert_eq!(value == before, mode == "--rollback", "{case}");
    }
}

#[test]
fn an_env_file_edited_between_plan_and_commit_is_refused_and_the_edit_survives_the_rollback() {
    let Some(stack) = up("edited-meanwhile", &[]) else { return };
    let before = env_value(&stack, "REDIS_PASSWORD");
    let paused = Paused::start(&stack, Step::Tested.as_str(), &[]);
    let mut text = std::fs::read_to_string(stack.env_file()).expect("env");
    text.push_str("FEATURE_FLAG=added-by-a-colleague\n");
    std::fs::write(stack.env_file(), &text).expect("their edit");
    let out = paused.release();
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("changed since the rotation was planned"), "{stderr}");
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
    let running = |service: &str| {
        !lossy(&stack.compose_ok(&[&FILES[..], &["ps", "-q", service]].concat()).stdout).trim().is_empty()
    };

    // The engine goes away after app and worker were removed and before they were created again.
    let before = env_value(&stack, "REDIS_PASSWORD");
    let proxy = EngineProxy::start(&stack.dir().join("engine.sock"));
    let paused = Paused::start(&stack, "removed", &[("DOCKER_HOST", proxy.docker_host())]);
    proxy.cut();
    let out = paused.release();
    let stderr = lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("rollback did not complete"), "{stderr}");
    assert!(!running("app") && !running("worker"), "the consumers were removed before the engine went away");
    assert_eq!(env_value(&stack, "REDIS_PASSWORD"), before);
    assert!(logs_in(&stack, &before), "the old value must still log in");
    drop(proxy);
    recover(&stack, "--rollback", "engine lost mid-recreate");
    assert_eq!(assert_consistent(&stack, "engine lost mid-recreate, then --rollback"), before);
    assert!(running("app") && running("worker"));

    // The process dies at the same point: --resume creates the consumers with the new value.
    let crashed = crate::support::secops(stack.dir())
        .args([&["rotate", "redis", "--yes", "-p", &stack.project][..], &FILES[..]].concat())
        .env("SECOPS_FAULT_AT", "removed")
        .output()
        .expect("runs");
    assert!(!crashed.status.success(), "the fault did not fire");
    assert!(!running("app") && !running("worker"));
    recover(&stack, "--resume", "crash mid-recreate");
    assert_ne!(assert_consistent(&stack, "crash mid-recreate, then --resume"), before);
    assert!(running("app") && running("worker"));
}

/// Starts `docker-secops ARGS` in a process group of its own, as a shell does for a foreground job, so that a
/// signal to the group reaches it and every child it started, like a Ctrl-C at the terminal.
fn foreground_job(stack: &Stack, args: &[&str]) -> Child {
    use std::os::unix::process::CommandExt;
    crate::support::secops(stack.dir())
        .args(args)
        .args(["-p", &stack.project])
        .process_group(0)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts")
}

/// Sends `SIGINT` to the process group led by `child`, as Ctrl-C does.
fn ctrl_c(child: &Child) {
    let status = Command::new("kill").args(["-s", "INT", "--", &format!("-{}", child.id())]).status().expect("kill");
    assert!(status.success());
}

/// Reads `child`'s stderr until a line contains `needle`; returns what was read and a thread that drains the rest.
fn stderr_until(child: &mut Child, needle: &str) -> (String, std::thread::JoinHandle<String>) {
    use std::io::BufRead;
    let mut reader = std::io::BufReader::new(child.stderr.take().expect("stderr piped"));
    let mut seen = String::new();
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
        seen.push_str(&line);
        let found = line.contains(needle);
        line.clear();
        if found {
            break;
        }
    }
    let rest = std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = std::io::Read::read_to_string(&mut reader, &mut rest);
        rest
    });
    (seen, rest)
}

#[test]
fn ctrl_c_at_the_terminal_during_recreate_lets_compose_finish_and_the_rotation_completes() {
    let Some(stack) = up("ctrl-c-rotate", &[]) else { return };
    assert_eq!(stack.redis_cli("fixture-redis-pass-7f3a9c2e41", "set survivor yes"), "OK");
    let before = env_value(&stack, "REDIS_PASSWORD");
    let mut job = foreground_job(&stack, &[&["rotate", "redis", "--yes"], &FILES[..]].concat());
    let (mut stderr, rest) = stderr_until(&mut job, " commit ");
    // The consumers are being removed and created again by `docker compose` children: Ctrl-C now.
    std::thread::sleep(Duration::from_millis(500));
    ctrl_c(&job);
    let status = job.wait().expect("ends");
    stderr.push_str(&rest.join().expect("stderr"));
    // Compose was not interrupted half-way (it has its own process group): the recreate step completed, and with
    // every consumer on the new value the rotation finished rather than recreating them all again.
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("SIGINT received after the consumers were recreated: finishing"), "{stderr}");
    assert_ne!(assert_consistent(&stack, "Ctrl-C during recreate"), before);
    assert!(!logs_in(&stack, &before), "the old value is revoked");
}

#[test]
fn ctrl_c_during_recreate_brings_the_current_service_up_and_stops() {
    let Some(stack) = up("ctrl-c-recreate", &[]) else { return };
    let ids = |stack: &Stack| ["app", "worker"].map(|s| stack.container_id(s));
    let before = ids(&stack);
    let mut job = foreground_job(&stack, &[&["recreate", "app", "worker"], &FILES[..]].concat());
    std::thread::sleep(Duration::from_millis(1500));
    ctrl_c(&job);
    let (mut stderr, rest) = stderr_until(&mut job, "not recreated");
    let status = job.wait().expect("ends");
    stderr.push_str(&rest.join().expect("stderr"));
    assert_eq!(status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("SIGINT received") && stderr.contains("not recreated"), "{stderr}");
    // No service is left without a container: app was brought up again (new id), worker kept its container.
    let after = ids(&stack);
    assert_ne!(after[0], before[0], "the service in progress finishes");
    assert_eq!(after[1], before[1], "the next service is left alone");
    let (code, status) = stack.status_json(&FILES);
    assert_eq!(code, Some(0), "{status}");
}
