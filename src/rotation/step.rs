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

/// Test-only: right after `step`, the fault hook [`crate::fault::at`] named after the step. A no-op without the
/// `fault-injection` feature.
pub fn fault_point(step: Step) {
    crate::fault::at(step.as_str());
}
