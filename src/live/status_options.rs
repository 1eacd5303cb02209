//! What `status` should do beyond comparing env files with containers.

/// Options of the status collection.
#[derive(Debug, Clone, Default)]
pub struct StatusOptions {
    /// Log in to the stores with the env files' credentials.
    pub probe: bool,
    /// Reach Redis here instead of working out its address.
    pub redis_uri: Option<String>,
    /// Reach MongoDB here instead of working out its address.
    pub mongo_uri: Option<String>,
}
