//! The steps of the rotation protocol (DESIGN §4), in order, and the test-only fault hook between them.

use serde::{Deserialize, Serialize};

/// How far a rotation got. The journal records the last step completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    /// New value generated, journal and backups written: nothing changed yet.
    Staged,
    /// The store accepts the new credential (beside the old one where it can).
    Set,
    /// A fresh login with the new credential read and wrote.
    Tested,
    /// The env files hold the new value.
    Committed,
    /// Every consumer runs with the new value.
    Recreated,
    /// The old credential is revoked, the audit entry written.
    Finished,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 6] =
        [Step::Staged, Step::Set, Step::Tested, Step::Committed, Step::Recreated, Step::Finished];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Staged => "staged",
            Step::Set => "set",
            Step::Tested => "tested",
            Step::Committed => "committed",
            Step::Recreated => "recreated",
            Step::Finished => "finished",
        }
    }
}

/// Test-only: right after `step`, aborts the process when `SECOPS_FAULT_AT` names it (a crash at a step boundary
/// must leave a credential that someone knows), or pauses when `SECOPS_PAUSE_AT` names it: it creates the file
/// `SECOPS_PAUSE_FILE` and waits (at most five minutes) until the test removes it, so a test can stop the store,
/// cut the engine off or send a signal at that exact point. Compiled only with the `fault-injection` feature.
pub fn fault_point(step: Step) {
    fault_at(step.as_str());
}

/// [`fault_point`] at a named point inside a step (`removed`: a recreate batch's old containers are gone and
/// the new ones not yet created).
#[cfg(feature = "fault-injection")]
pub fn fault_at(point: &str) {
    let named = |var: &str| std::env::var(var).is_ok_and(|at| at == point);
    if named("SECOPS_FAULT_AT") {
        std::process::abort();
    }
    if let (true, Some(file)) = (named("SECOPS_PAUSE_AT"), std::env::var_os("SECOPS_PAUSE_FILE")) {
        let file = std::path::PathBuf::from(file);
        if std::fs::write(&file, point).is_ok() {
            let until = std::time::Instant::now() + std::time::Duration::from_secs(300);
            while file.exists() && std::time::Instant::now() < until {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        }
    }
}

/// Without the `fault-injection` feature there is no hook.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn fault_at(_point: &str) {}
