//! The rotation engine: plan, lock, journal, the protocol's steps, resume and rollback.

mod edits;
mod engine;
mod engine_recovery;
mod journal;
mod lock;
mod new_value;
mod plan;
mod planner;
mod progress;
mod recovery_plan;
mod recreator;
mod rotation_error;
#[cfg(test)]
mod secret_edit_tests;
mod secret_object_swap;
mod step;
mod target;
mod target_hint;
mod version_variable;

pub use engine::{Credentials, Engine, Outcome, Rotation};
pub use journal::{JOURNAL_FILE, Journal, JournalError};
pub use lock::{LockError, LockHolder, RotationLock, hostname, now_rfc3339};
pub use new_value::{NewValue, NewValueError};
pub use plan::{EditKind, FileEdit, RotationPlan};
pub use planner::{PlanError, PlanOptions, Planned, kind_of, plan_offline, plan_project};
pub use progress::Progress;
pub use recovery_plan::{Recovery, RecoveryPlan};
pub use recreator::{AnyRecreator, NoRecreate, Recreator};
pub use rotation_error::RotationError;
pub use secret_object_swap::SecretObjectSwap;
pub use step::Step;
pub use target::Target;
pub use version_variable::VersionVariable;
