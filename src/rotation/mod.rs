//! The rotation engine: plan, lock, journal, the protocol's steps, resume and rollback.

mod edits;
mod engine;
mod journal;
mod lock;
mod plan;
mod planner;
mod progress;
mod recreator;
mod rotation_error;
mod step;
mod target;

pub use engine::{Credentials, Engine, Outcome};
pub use journal::{JOURNAL_FILE, Journal, JournalError};
pub use lock::{LockError, LockHolder, RotationLock, hostname, now_rfc3339};
pub use plan::{EnvEdit, RotationPlan};
pub use planner::{PlanError, PlanOptions, Planned, plan_offline, plan_project};
pub use progress::Progress;
pub use recreator::{AnyRecreator, NoRecreate, Recreator};
pub use rotation_error::RotationError;
pub use step::Step;
pub use target::Target;
