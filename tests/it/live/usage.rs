//! `status` and `recreate` errors that need no Docker engine (these always run).

use super::stack::{fixture_copy, lossy};
use crate::support::secops;

#[test]
fn recreate_of_an_unknown_service_names_the_known_ones() {
    let dir = fixture_copy();
    let out = secops(dir.path()).args(["recreate", "nosuch", "-p", "usage"]).output().expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = lossy(&out.stderr);
    assert!(stderr.contains(r#"no service "nosuch" in compose project usage (services: app, redis)"#), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn an_engine_that_is_not_there_is_an_error_naming_it() {
    let dir = fixture_copy();
    for command in ["status", "recreate"] {
        let out = secops(dir.path())
            .args([command, "-p", "usage"])
            .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
            .env_remove("DOCKER_CONTEXT")
            .output()
            .expect("runs");
        assert_eq!(out.status.code(), Some(2), "{command}");
        let stderr = lossy(&out.stderr);
        assert!(stderr.contains("cannot connect to the Docker engine at unix:///nonexistent/docker.sock"), "{stderr}");
        assert!(!stderr.contains("fixture-redis-pass"), "{stderr}");
    }
}
