//! The running deployment against the project: env drift, live store logins (`status`) and the safe recreate
//! of services (`recreate`), and the
//! rotations run against it (`rotate`). Uses `docker/` for the engine and compose, `stores/` for the logins.

mod deployment_recreator;
mod drift;
mod env_mismatch;
mod key_status;
mod pending_rotation;
mod plan_error;
mod probe_result;
mod recreate_error;
mod recreate_event;
mod recreate_failure;
mod recreate_outcome;
mod recreate_plan;
mod rejected_value;
mod rotate_deployment;
mod rotate_options;
mod rotate_run;
mod secret_versions;
mod service_recreator;
mod service_status;
mod stack_recreator;
mod status_options;
mod status_report;
mod store_target;

pub use deployment_recreator::DeploymentRecreator;
pub use drift::{Drift, value_file, value_line};
pub use env_mismatch::EnvMismatch;
pub use key_status::KeyStatus;
pub use pending_rotation::PendingRotation;
pub use plan_error::PlanError;
pub use probe_result::ProbeResult;
pub use recreate_error::RecreateError;
pub use recreate_event::RecreateEvent;
pub use recreate_failure::RecreateFailure;
pub use recreate_outcome::RecreateOutcome;
pub use recreate_plan::RecreatePlan;
pub use rejected_value::{RejectedValue, StoreRejects};
pub use rotate_deployment::{RotateDeployment, SecretReader};
pub use rotate_options::{RotateIo, RotateOptions, RotateScope};
pub use rotate_run::{
    RotateResult, all_targets, journals, name_secret_objects, plan, plan_all, recover, recovery_plans, rotate,
};
pub use secret_versions::{SecretVersions, WantedObject};
pub use service_recreator::{LOG_LINES, ServiceRecreator};
pub use service_status::ServiceStatus;
pub use stack_recreator::StackRecreator;
pub use status_options::StatusOptions;
pub use status_report::StatusReport;
pub use store_target::StoreTarget;
