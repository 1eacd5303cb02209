//! Which compose implementation is installed.

/// `docker compose` (v2, a docker CLI plugin) or the legacy standalone `docker-compose` (v1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComposeFlavor {
    /// `docker [global flags] compose ...`.
    V2,
    /// `docker-compose ...` (v1, Python): no `down SERVICE`, fewer global flags.
    V1,
}
