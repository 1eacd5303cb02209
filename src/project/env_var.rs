//! One environment key a service's container receives.

use super::Origin;

/// A key with its final value and where that value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvVar {
    pub key: String,
    /// The value the container gets; `None` when unset (a bare key with nothing in the shell).
    pub value: Option<String>,
    pub origin: Origin,
}
