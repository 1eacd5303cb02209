//! `rotate --all` on the live stack (redis + app + worker sharing stack.env, which holds both REDIS_PASSWORD and
//! JWT_SECRET_KEY): the secrets rotate one after the other, then each consumer is recreated once, not once per
//! secret; a crash between or after the secrets leaves journals that `--resume` and `--rollback` finish together.

use std::process::{Command, Stdio};

use super::rotate::{FILES, env_value, up};
use super::stack::{Stack, lossy};

const REDIS: &str = "fixture-redis-pass-7f3a9c2e41";
const JWT: &str = "fixture-jwt-secret-0b8d6e4f2a1c9e7d5b3a";

/// Watches the engine's container creations in `stack`'s project from now until [`Creations::services`].
/// A live stream, not `docker events --since`: the engine keeps only its last few hundred events, which the
/// other tests running at the same time push out.
struct Creations(std::process::Child);

impl Creations {
    fn watch(stack: &Stack) -> Creations {
        let child = Command::new("docker")
            .args(["events", "--filter", "type=container", "--filter", "event=create", "--filter"])
            .arg(format!("label=com.docker.compose.project={}", stack.project))
            .args(["--format", "{{index .Actor.Attributes \"com.docker.compose.service\"}}"])
            .stdout(Stdio::piped())
            .spawn()
            .expect("docker events");
        Creations(child)
    }

    /// The services whose containers were created, one entry per creation, sorted.
    fn services(mut self) -> Vec<String> {
        // `docker events` flushes each event as it comes: what it printed so far is complete once it is killed.
        let _ = self.0.kill();
        let out = self.0.wait_with_output().expect("docker events output");
        let mut services: Vec<String> = lossy(&out.stdout).lines().map(str::to_string).collect();
        services.sort();
        services
    }
}

fn rotate_all(stack: &Stack, env: &[(&str, &str)]) -> std::process::Output {
    stack.secops_env(&[&["rotate", "--all", "--yes"], &FILES[..]].concat(), env)
}

fn journals(stack: &Stack) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(stack.dir().join(".secops"))
        .map(|d| d.flatten().map(|e| e.file_name().to_string_lossy().into_owned()).collect())
        .unwrap_or_default();
    names.retain(|n| n.starts_with("rotation.journal"));
    names.sort();
    names
}

#[test]
fn rotate_all_recreates_each_consumer_once() {
    let Some(stack) = up("rotate_all_once", &[]) else { return };
    assert_eq!(stack.redis_cli(REDIS, "set survivor yes"), "OK");
    let creations = Creations::watch(&stack);
    let out = rotate_all(&stack, &[]);
    assert!(out.status.success(), "rotate --all: {}", lossy(&out.stderr));
    let (redis, jwt) = (env_value(&stack, "REDIS_PASSWORD"), env_value(&stack, "JWT_SECRET_KEY"));
    assert_ne!(redis, REDIS, "REDIS_PASSWORD rotated");
    assert_ne!(jwt, JWT, "JWT_SECRET_KEY rotated");
    // Both secrets reach redis, app and worker: each of them got exactly one new container.
    assert_eq!(creations.services(), ["app", "redis", "worker"], "{}", lossy(&out.stderr));
    assert_eq!(stack.redis_cli(&redis, "get survivor"), "yes");
    assert_ne!(stack.redis_cli(REDIS, "ping"), "PONG", "the old Redis password is revoked");
    let text = format!("{}{}", lossy(&out.stdout), lossy(&out.stderr));
    assert!(![REDIS, JWT, &redis, &jwt].iter().any(|s| text.contains(*s)), "a secret in the output: {text}");
    assert!(journals(&stack).is_empty(), "journals left: {:?}", journals(&stack));
    let (code, status) = stack.status_json(&FILES);
    assert_eq!(code, Some(0), "{status}");
}

#[cfg(feature = "fault-injection")]
#[test]
fn a_crash_after_the_second_secret_of_rotate_all_is_resumed_or_rolled_back_as_one_batch() {
    for mode in ["--resume", "--rollback"] {
        let Some(stack) = up(&format!("rotate_all_crash{mode}"), &[]) else { return };
        assert_eq!(stack.redis_cli(REDIS, "set survivor yes"), "OK");
        // Both secrets committed to the file, no consumer recreated yet: two journals side by side.
        let crashed = rotate_all(&stack, &[("SECOPS_FAULT_AT", "committed#2")]);
        assert!(!crashed.status.success(), "{mode}: the fault did not fire");
        assert_eq!(journals(&stack), ["rotation.journal.0.json", "rotation.journal.1.json"], "{mode}");
        // The running consumers still hold the old Redis password, which the dual window keeps valid.
        assert_eq!(stack.redis_cli(REDIS, "ping"), "PONG", "{mode}: old password lost before the recreate");
        let creations = Creations::watch(&stack);
        let out = stack.secops(&[&["rotate", mode, "--yes"], &FILES[..]].concat());
        assert!(out.status.success(), "{mode}: {}", lossy(&out.stderr));
        assert_eq!(creations.services(), ["app", "redis", "worker"], "{mode}: {}", lossy(&out.stderr));
        let (redis, jwt) = (env_value(&stack, "REDIS_PASSWORD"), env_value(&stack, "JWT_SECRET_KEY"));
        if mode == "--rollback" {
            assert_eq!((redis.as_str(), jwt.as_str()), (REDIS, JWT), "rollback restores both values");
        } else {
            assert!(redis != REDIS && jwt != JWT, "resume finishes both rotations");
            assert_ne!(stack.redis_cli(REDIS, "ping"), "PONG", "the old Redis password is revoked");
        }
        assert_eq!(stack.redis_cli(&redis, "get survivor"), "yes", "{mode}");
        assert!(journals(&stack).is_empty(), "{mode}: journals left: {:?}", journals(&stack));
        let (code, status) = stack.status_json(&FILES);
        assert_eq!(code, Some(0), "{mode}: {status}");
    }
}
