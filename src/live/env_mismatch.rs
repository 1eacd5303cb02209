//! A key whose value in a freshly created container is not what the project gives.

/// A key of a new container that does not carry the project's value (fingerprints only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvMismatch {
    pub key: String,
    /// Fingerprint of the value the project gives.
    pub expected: String,
    /// Fingerprint of the container's value; `None` when the container lacks the key.
    pub actual: Option<String>,
}
