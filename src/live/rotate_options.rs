//! What `rotate` was asked to do, as plain data (no clap types below `cli.rs`).

use std::path::PathBuf;

use crate::docker::{ComposeProjectFlags, Redactor};
use crate::plugin::GlobalFlags;
use crate::project::Project;
use crate::rotation::PlanOptions;

/// What the rotation works on: a compose project, or one env file with no project (the offline form).
pub enum RotateScope {
    Project(Box<Project>),
    Offline(PathBuf),
}

/// The options of a rotation, a resume or a rollback.
pub struct RotateOptions {
    pub plan: PlanOptions,
    /// Keep the state of a failed rotation instead of rolling back.
    pub no_rollback: bool,
    /// Read the credential the store accepts from the secret reader when the env file's is rejected.
    pub current_from_stdin: bool,
    /// `--via-exec`: change the password from inside the store's container.
    pub via_exec: bool,
    /// `--admin-user`: change the password as this admin (its password from the secret reader).
    pub admin_user: Option<String>,
    /// `--store-uri`, one per store.
    pub store_uris: Vec<String>,
    /// Seconds each recreated service may take to become healthy.
    pub timeout: u64,
    /// `--stack`: the deployment is this Swarm stack (rolling updates of its services), not compose containers.
    pub stack: Option<String>,
    /// How the project was loaded, to read it again once the files hold the new values (a stack takes its
    /// consumers' env from the files through docker-secops, as compose does when it recreates).
    pub project_options: Option<crate::project::ProjectOptions>,
    /// Who rotates, for the audit log.
    pub operator: String,
    /// Docker's global flags and the user's compose flags, passed on unchanged.
    pub global: GlobalFlags,
    pub compose_flags: ComposeProjectFlags,
    /// Hides the project's secret values in compose output (logs of a failed recreate).
    pub redactor: Redactor,
}

/// Where a rotation reports and asks: the signal listener, the step printer, the recreate's per-service events,
/// and the reader of secrets typed in (a current credential, an admin password).
pub struct RotateIo<'a, P> {
    pub interrupt: &'a crate::interrupt::Interrupt,
    pub progress: &'a P,
    pub recreate_progress: fn(&str, super::RecreateEvent),
    pub read_secret: super::SecretReader<'a>,
}
