//! `docker secops rotate mongo` against the official `mongo:7` image: run when the image is present or can be
//! pulled, skipped with a printed notice otherwise (this project's CI machine reaches no registry and no MongoDB
//! server package exists in the registries it does reach).
#![allow(clippy::print_stderr)]

use std::process::Command;

use super::stack::{OPT_IN, lossy};
use crate::support::{copy_dir, repo_root, secops};

const IMAGE: &str = "mongo:7";
const ORIGINAL: &str = "fixture-mongo-pass-5d2c8b1e";

fn image_available() -> bool {
    let present = Command::new("docker").args(["image", "inspect", IMAGE]).output().is_ok_and(|o| o.status.success());
    present || Command::new("docker").args(["pull", "-q", IMAGE]).output().is_ok_and(|o| o.status.success())
}

fn mongosh(project: &str, dir: &std::path::Path, password: &str, eval: &str) -> String {
    let out = Command::new("docker")
        .args(["compose", "-p", project, "exec", "-T", "-e", &format!("PW={password}"), "mongo", "sh", "-c"])
        .arg(format!("mongosh --quiet -u root -p \"$PW\" --authenticationDatabase admin --eval '{eval}'"))
        .current_dir(dir)
        .output()
        .expect("docker compose exec");
    lossy(&out.stdout) + &lossy(&out.stderr)
}

#[test]
fn rotate_mongo_changes_the_user_password_and_keeps_data() {
    if std::env::var(OPT_IN).as_deref() != Ok("1") {
        crate::support::skip(&format!("set {OPT_IN}=1 to run tests against the Docker engine"));
        return;
    }
    if !image_available() {
        crate::support::skip(&format!("the {IMAGE} image is not present and cannot be pulled (no registry)"));
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    copy_dir(&repo_root().join("tests/fixtures/live-mongo"), tmp.path());
    let project = format!("secops-it-mongo-{}", std::process::id());
    let compose = |args: &[&str]| {
        Command::new("docker")
            .args(["compose", "-p", &project])
            .args(args)
            .current_dir(tmp.path())
            .output()
            .expect("compose")
    };
    struct Down<'a>(&'a dyn Fn(&[&str]) -> std::process::Output);
    impl Drop for Down<'_> {
        fn drop(&mut self) {
            (self.0)(&["down", "-v", "--timeout", "1"]);
        }
    }
    let _down = Down(&compose);
    assert!(compose(&["up", "-d", "--wait"]).status.success());
    assert!(
        mongosh(&project, tmp.path(), ORIGINAL, "db.getSiblingDB(\"app\").k.insertOne({v: 1}).acknowledged")
            .contains("true")
    );
    let out = secops(tmp.path()).args(["rotate", "mongo", "--yes", "-p", &project]).output().expect("rotate");
    assert!(out.status.success(), "{}", lossy(&out.stderr));
    let env = std::fs::read_to_string(tmp.path().join("stack.env")).expect("env");
    let new = env.lines().find_map(|l| l.strip_prefix("MONGO_INITDB_ROOT_PASSWORD=")).expect("key").to_string();
    assert_ne!(new, ORIGINAL);
    assert!(mongosh(&project, tmp.path(), &new, "db.getSiblingDB(\"app\").k.countDocuments()").contains('1'));
    assert!(mongosh(&project, tmp.path(), ORIGINAL, "1").contains("Authentication failed"));
}
