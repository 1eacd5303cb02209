//! Why a recreate order could not be worked out.

/// A bad service selection or an impossible order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// A named service is not in the project (or not in an active profile).
    #[error("no service {name:?} in compose project {project} (services: {known})")]
    UnknownService { name: String, project: String, known: String },
    /// `depends_on` loops among these services.
    #[error("depends_on forms a cycle among: {services}")]
    Cycle { services: String },
}
