//! Secret exposure audit: a live rotation with a recognisable canary as the current password. Every byte the tool
//! writes (stdout, stderr, audit log, backup names) and every process command line on the machine during the run
//! is searched for the canary and the new value, raw, base64- and URL-encoded. Only the env file (or the compose
//! secret file), its 0600 backup and the (encrypted) archive may hold them, and the journal must be gone.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine;

use super::stack::{Stack, lossy};

const CANARY: &str = "CanaryZq81VxRm0SecretCanaryK4";
/// The canary of the compose secret file case (another one: the value must not be found by its twin).
const FILE_CANARY: &str = "CanaryPw57FileSecretCanaryT9q";
const FILES: [&str; 4] = ["-f", "compose.yaml", "-f", "rotate.yaml"];

/// Every command line seen in /proc while `running` is set.
fn sample_cmdlines(running: Arc<AtomicBool>) -> std::thread::JoinHandle<BTreeSet<String>> {
    std::thread::spawn(move || {
        let mut seen = BTreeSet::new();
        while running.load(Ordering::SeqCst) {
            if let Ok(dir) = std::fs::read_dir("/proc") {
                for entry in dir.flatten() {
                    if let Ok(bytes) = std::fs::read(entry.path().join("cmdline")) {
                        seen.insert(String::from_utf8_lossy(&bytes).replace('\0', " "));
                    }
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        seen
    })
}

fn forms(secret: &str) -> Vec<String> {
    let url: String = secret
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect();
    vec![
        secret.to_string(),
        base64::engine::general_purpose::STANDARD.encode(secret),
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(secret),
        url,
    ]
}

#[test]
fn no_secret_leaks_from_a_live_rotation() {
    let Some(stack) = Stack::copy("exposure") else { return };
    stack.set_env("REDIS_PASSWORD", CANARY);
    stack.compose_ok(&[&FILES[..], &["up", "-d", "--wait"]].concat());
    let identity = age::x25519::Identity::generate();
    let running = Arc::new(AtomicBool::new(true));
    let sampler = sample_cmdlines(running.clone());
    let out = stack.secops(
        &[&["rotate", "redis", "--yes", "--archive-recipient", &identity.to_public().to_string()], &FILES[..]].concat(),
    );
    running.store(false, Ordering::SeqCst);
    let cmdlines = sampler.join().expect("sampler");
    assert!(out.status.success(), "rotate failed: {}", lossy(&out.stderr));
    assert!(cmdlines.iter().any(|c| c.contains("compose")), "the sampler saw the compose calls");
    let env = std::fs::read_to_string(stack.env_file()).expect("env");
    let new = env.lines().find_map(|l| l.strip_prefix("REDIS_PASSWORD=")).expect("key").to_string();
    assert_absent(&stack, &out, cmdlines, &[CANARY, new.as_str()]);
}

/// The same audit for a compose `file:` secret read by PostgreSQL (`POSTGRES_PASSWORD_FILE`) and an app: the old
/// and the new content of the secret file appear nowhere but in the file and its 0600 backup.
#[test]
fn no_secret_file_content_leaks_from_a_live_rotation() {
    let Some(stack) = Stack::copy_fixture("exposure-secret-file", "live-pg-secret") else { return };
    let file = stack.dir().join("db_password.txt");
    std::fs::write(&file, format!("{FILE_CANARY}\n")).expect("write secret");
    stack.compose_ok(&["up", "-d", "--wait"]);
    let identity = age::x25519::Identity::generate();
    let running = Arc::new(AtomicBool::new(true));
    let sampler = sample_cmdlines(running.clone());
    let recipient = identity.to_public().to_string();
    let out = stack.secops(&["rotate", "db_password", "--yes", "--archive-recipient", &recipient]);
    running.store(false, Ordering::SeqCst);
    let cmdlines = sampler.join().expect("sampler");
    assert!(out.status.success(), "rotate failed: {}", lossy(&out.stderr));
    assert!(cmdlines.iter().any(|c| c.contains("compose")), "the sampler saw the compose calls");
    let new = std::fs::read_to_string(&file).expect("secret file").trim_end().to_string();
    assert!(!new.is_empty() && new != FILE_CANARY, "rotated");
    let backups: Vec<_> = std::fs::read_dir(stack.dir().join(".secops/backups")).expect("backups").flatten().collect();
    let backup = std::fs::read_to_string(backups[0].path()).expect("backup");
    assert_eq!(backup, format!("{FILE_CANARY}\n"), "the backup holds the old content (and is the one place)");
    assert_absent(&stack, &out, cmdlines, &[FILE_CANARY, new.as_str()]);
}

/// Asserts that none of `secrets`, in any of its forms, is in what the rotation that printed `out` wrote: stdout,
/// stderr, the audit log, backup and archive names, the archive's bytes, the command lines seen while it ran; and
/// that its journal is gone.
fn assert_absent(stack: &Stack, out: &std::process::Output, cmdlines: BTreeSet<String>, secrets: &[&str]) {
    let audit = std::fs::read_to_string(stack.dir().join(".secops/audit.jsonl")).expect("audit");
    let mut names = String::new();
    for dir in [".secops/backups", ".secops/archive"] {
        for entry in std::fs::read_dir(stack.dir().join(dir)).expect("dir").flatten() {
            names.push_str(&entry.file_name().to_string_lossy());
            names.push('\n');
        }
    }
    let archive_dir = stack.dir().join(".secops/archive");
    let archive = std::fs::read_dir(&archive_dir).expect("archive").flatten().next().expect("one archive").path();
    let sealed = lossy(&std::fs::read(archive).expect("read archive"));
    let places = [
        ("stdout", lossy(&out.stdout)),
        ("stderr", lossy(&out.stderr)),
        ("audit log", audit),
        ("backup and archive names", names),
        ("archive bytes", sealed),
        ("process command lines", cmdlines.into_iter().collect::<Vec<_>>().join("\n")),
    ];
    for secret in secrets {
        for form in forms(secret) {
            for (place, text) in &places {
                let line = text.lines().find(|l| l.contains(&form)).unwrap_or_default().replace(&form, "<SECRET>");
                assert!(!text.contains(&form), "a secret appears in the {place}: {line}");
            }
        }
    }
    assert!(!stack.dir().join(".secops/rotation.journal.json").exists(), "the journal outlived the rotation");
}
