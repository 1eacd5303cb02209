//! Compose `secrets:` against a live stack: `status` reads `/run/secrets/...` of the running container through the
//! archive endpoint and compares it with the file on disk or the variable.

use std::path::Path;

use super::stack::{Stack, key, lossy};

const TOKEN: &str = "fixture-app-token-5d2c8e1f0a";
const OVERRIDE: &str = "services:
  app:
    secrets:
      - app_token
      - source: jwt
        target: jwt_key
secrets:
  app_token:
    file: ./app_token.txt
  jwt:
    environment: APP_JWT
";

/// The live fixture plus a file secret and an environment secret for `app` (compose.override.yaml).
fn stack_with_secrets(test: &str) -> Option<Stack> {
    let stack = Stack::copy(test)?;
    std::fs::write(stack.dir().join("compose.override.yaml"), OVERRIDE).expect("write override");
    std::fs::write(stack.dir().join("app_token.txt"), format!("{TOKEN}\n")).expect("write secret");
    // An environment secret's variable comes from the interpolation environment (`.env`), not from env_file.
    std::fs::write(stack.dir().join(".env"), "APP_JWT=fixture-app-jwt-9e8d7c6b5a4f3e2d\n").expect("write .env");
    stack.compose_ok(&["up", "-d", "--wait"]);
    Some(stack)
}

fn drift(stack: &Stack, secret: &str) -> (Option<i32>, serde_json::Value) {
    let (code, status) = stack.status_json(&["--no-probe"]);
    let entry = key(&status, "app", secret).clone();
    assert!(entry["secret_target"].as_str().is_some_and(|t| t.starts_with("/run/secrets/")), "{entry:#}");
    (code, entry)
}

fn recreate_app(stack: &Stack) {
    let out = stack.secops(&["recreate", "app"]);
    assert!(out.status.success(), "recreate: {}", lossy(&out.stderr));
}

/// Writes `text` to `path` the way an atomic writer does: a new file renamed over the old one (a new inode, which
/// the container's bind mount does not see).
fn rename_over(path: &Path, text: &str) {
    let tmp = path.with_extension("tmp");
    std::fs::write(&tmp, text).expect("write tmp");
    std::fs::rename(&tmp, path).expect("rename");
}

#[test]
fn status_sees_a_secret_file_replaced_or_edited_after_the_container_started() {
    let Some(stack) = stack_with_secrets("status_secrets") else { return };
    let (code, token) = drift(&stack, "app_token");
    assert_eq!((code, token["drift"].as_str()), (Some(0), Some("in_sync")), "{token:#}");
    assert_eq!(token["fingerprint"], token["container_fingerprint"]);
    assert_eq!(drift(&stack, "jwt").1["drift"], "in_sync");

    // An atomic rename: the container still reads the old inode. (The archive endpoint does not show that: the
    // engine binds the host path afresh to read it, so it returns the new file; the file's time tells.)
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let file = stack.dir().join("app_token.txt");
    rename_over(&file, "fixture-app-token-renamed-77b1\n");
    let (code, token) = drift(&stack, "app_token");
    assert_eq!((code, token["drift"].as_str()), (Some(1), Some("stale")), "{token:#}");
    assert_eq!(token["file_changed_after_created"], true);
    let out = stack.secops(&["status", "--no-probe"]);
    let text = lossy(&out.stdout);
    assert!(
        text.contains("app_token.txt changed after the container started\n")
            && text.contains("run docker secops recreate app\n"),
        "{text}"
    );
    assert!(!text.contains(TOKEN) && !text.contains("renamed-77b1"), "status printed a secret: {text}");

    let before = stack.container_id("app");
    recreate_app(&stack);
    assert_ne!(stack.container_id("app"), before, "a new container");
    assert_eq!(drift(&stack, "app_token").1["drift"], "in_sync");

    // An in-place write shows in the container at once, but the process read the secret when it started.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    std::fs::write(&file, "fixture-app-token-in-place-3c9d\n").expect("write in place");
    let (code, token) = drift(&stack, "app_token");
    assert_eq!((code, token["drift"].as_str()), (Some(1), Some("stale")), "{token:#}");
    recreate_app(&stack);
    assert_eq!(drift(&stack, "app_token").1["drift"], "in_sync");

    // An environment secret is copied in at start: an edit of its variable leaves the container's copy stale.
    std::fs::write(stack.dir().join(".env"), "APP_JWT=rotated-app-jwt-1a2b3c4d5e6f\n").expect("write .env");
    let (_, jwt) = drift(&stack, "jwt");
    assert_eq!(jwt["drift"], "stale", "{jwt:#}");
    assert_ne!(jwt["fingerprint"], jwt["container_fingerprint"], "the container keeps the copy made at start");
    recreate_app(&stack);
    assert_eq!(drift(&stack, "jwt").1["drift"], "in_sync");
}
