//! A throwaway copy of tests/fixtures/live brought up under a unique project name, and torn down (volumes too:
//! they are the test's own) when dropped, even when the test fails.
// Skip notices and failed cleanups are reported on the test's stderr, where cargo test shows them.
#![allow(clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::support::{repo_root, secops};

/// Opt-in switch for the tests that need a Docker engine.
pub const OPT_IN: &str = "SECOPS_CONTAINER_TESTS";

static SEQUENCE: AtomicUsize = AtomicUsize::new(0);

/// A running copy of the fixture project.
pub struct Stack {
    dir: tempfile::TempDir,
    pub project: String,
    /// Released after the teardown in `drop` (fields drop after it): no swarm test runs while the stack lives.
    _engine: super::engine_mode::Shared,
}

impl Stack {
    /// Brings the fixture up (waiting until healthy), or returns `None` with a notice when live tests are off.
    pub fn up(test: &str) -> Option<Stack> {
        Stack::up_services(test, &[])
    }

    /// Brings up only `services` (all when empty), waiting until healthy.
    pub fn up_services(test: &str, services: &[&str]) -> Option<Stack> {
        let stack = Stack::copy(test)?;
        stack.compose_ok(&[&["up", "-d", "--wait"], services].concat());
        Some(stack)
    }

    /// Where `service`'s container port is published on the host (`127.0.0.1:32768`).
    pub fn published(&self, service: &str, port: u16) -> (String, u16) {
        let out = self.compose_ok(&["port", service, &port.to_string()]);
        let text = lossy(&out.stdout);
        let (host, port) = text.trim().rsplit_once(':').expect("host:port");
        (host.to_string(), port.parse().expect("port number"))
    }

    /// Runs `redis-cli ARGS...` in the redis container, logged in with `password` (passed by environment).
    pub fn redis_cli(&self, password: &str, args: &str) -> String {
        let redis = self.container_id("redis");
        let out = Command::new("docker")
            .args(["exec", "-e", &format!("REDISCLI_AUTH={password}"), &redis, "sh", "-c"])
            .arg(format!("redis-cli --no-auth-warning {args}"))
            .output()
            .expect("docker exec");
        lossy(&out.stdout).trim().to_string()
    }

    /// Copies the fixture without starting it (`None` when live tests are off).
    pub fn copy(test: &str) -> Option<Stack> {
        Stack::copy_fixture(test, "live")
    }

    /// Copies `tests/fixtures/<fixture>` without starting it (`None` when live tests are off).
    pub fn copy_fixture(test: &str, fixture: &str) -> Option<Stack> {
        if std::env::var(OPT_IN).as_deref() != Ok("1") {
            crate::support::skip(&format!("set {OPT_IN}=1 to run tests against the Docker engine"));
            return None;
        }
        ensure_images();
        let dir = fixture_copy_of(fixture);
        let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.subsec_nanos()).unwrap_or(0);
        let n = SEQUENCE.fetch_add(1, Ordering::SeqCst);
        let project = format!("secops-it-{}-{}-{n}-{nanos:x}", test.replace('_', "-"), std::process::id());
        Some(Stack { dir, project, _engine: super::engine_mode::shared() })
    }

    /// The project directory.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// The env file both services read.
    pub fn env_file(&self) -> PathBuf {
        self.dir().join("stack.env")
    }

    /// `docker compose -p PROJECT ARGS...` in the project directory.
    pub fn compose(&self, args: &[&str]) -> Output {
        Command::new("docker")
            .args(["compose", "-p", &self.project])
            .args(args)
            .current_dir(self.dir())
            .output()
            .expect("docker compose runs")
    }

    /// Like [`Stack::compose`], failing the test when compose fails.
    pub fn compose_ok(&self, args: &[&str]) -> Output {
        let out = self.compose(args);
        assert!(out.status.success(), "docker compose {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        out
    }

    /// `docker secops ARGS... -p PROJECT` run in the project directory.
    pub fn secops(&self, args: &[&str]) -> Output {
        secops(self.dir()).args(args).args(["-p", &self.project]).output().expect("docker-secops runs")
    }

    /// Like [`Stack::secops`] with extra environment variables.
    pub fn secops_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut command = secops(self.dir());
        command.args(args).args(["-p", &self.project]).envs(env.iter().copied());
        command.output().expect("docker-secops runs")
    }

    /// `status --format json`, parsed, with the exit code.
    pub fn status_json(&self, extra: &[&str]) -> (Option<i32>, serde_json::Value) {
        let out = self.secops(&[&["status", "--format", "json"], extra].concat());
        let json = serde_json::from_slice(&out.stdout).unwrap_or_else(|err| {
            panic!("status JSON ({err}): stdout {} stderr {}", lossy(&out.stdout), lossy(&out.stderr))
        });
        (out.status.code(), json)
    }

    /// The ID of the one container of `service`.
    pub fn container_id(&self, service: &str) -> String {
        let out = self.compose_ok(&["ps", "-a", "-q", service]);
        let id = lossy(&out.stdout).trim().to_string();
        assert!(!id.is_empty() && !id.contains('\n'), "expected one container for {service}, got {id:?}");
        id
    }

    /// Sets `key=value` in the env file (replacing the line or appending one).
    pub fn set_env(&self, key: &str, value: &str) {
        let text = std::fs::read_to_string(self.env_file()).expect("read env");
        let prefix = format!("{key}=");
        let mut lines: Vec<String> = text.lines().filter(|l| !l.starts_with(&prefix)).map(str::to_string).collect();
        lines.push(format!("{key}={value}"));
        std::fs::write(self.env_file(), lines.join("\n") + "\n").expect("write env");
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        // The test's own volumes go too (`-v` is for tests only: the product never removes volumes).
        let out = self.compose(&["down", "-v", "--remove-orphans", "--timeout", "1"]);
        if !out.status.success() {
            eprintln!("cleanup of {} failed: {}", self.project, lossy(&out.stderr));
        }
    }
}

/// A copy of tests/fixtures/live in a temporary directory.
pub fn fixture_copy() -> tempfile::TempDir {
    fixture_copy_of("live")
}

/// A copy of tests/fixtures/`name` in a temporary directory.
pub fn fixture_copy_of(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = repo_root().join("tests/fixtures").join(name);
    for entry in std::fs::read_dir(&fixture).expect("fixture dir") {
        let path = entry.expect("entry").path();
        std::fs::copy(&path, dir.path().join(path.file_name().expect("name"))).expect("copy fixture file");
    }
    dir
}

/// Builds the local test images when a tag is missing (cached; no registry needed).
fn ensure_images() {
    let present =
        |tag: &str| Command::new("docker").args(["image", "inspect", tag]).output().is_ok_and(|o| o.status.success());
    let tags = ["secops-test/redis:7", "secops-test/app:1", "secops-test/postgres:15", "secops-test/mariadb:10.11"];
    if tags.iter().all(|t| present(t)) {
        return;
    }
    let status = Command::new("bash").arg(repo_root().join("tests/images/build.sh")).status().expect("build.sh runs");
    assert!(status.success(), "tests/images/build.sh failed");
}

/// Output bytes as text.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The JSON object of `service` in a status document.
pub fn service<'a>(status: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    status["services"]
        .as_array()
        .and_then(|s| s.iter().find(|s| s["service"] == name))
        .unwrap_or_else(|| panic!("no service {name} in {status:#}"))
}

/// The JSON object of `key` of `service` in a status document.
pub fn key<'a>(status: &'a serde_json::Value, service_name: &str, key: &str) -> &'a serde_json::Value {
    let s = service(status, service_name);
    s["keys"]
        .as_array()
        .and_then(|k| k.iter().find(|k| k["key"] == key))
        .unwrap_or_else(|| panic!("no key {key} in service {service_name}: {s:#}"))
}
