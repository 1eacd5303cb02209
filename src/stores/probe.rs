//! The outcome of logging in to a store with the credential the env files hold.

use std::fmt;

/// What a live login attempt found. Serialised as `{"result": "ok"}` or
/// `{"result": "unreachable", "reason": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", content = "reason", rename_all = "lowercase")]
pub enum Probe {
    /// The store accepted the credential and answered a command.
    Ok,
    /// The store answered and refused the credential: the env file and the store disagree.
    Rejected,
    /// The store could not be reached; the reason says why (never a credential).
    Unreachable(String),
}

impl Probe {
    /// The word used in output and JSON: `ok`, `rejected` or `unreachable`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Probe::Ok => "ok",
            Probe::Rejected => "rejected",
            Probe::Unreachable(_) => "unreachable",
        }
    }

    /// True unless the credential works.
    pub fn is_problem(&self) -> bool {
        *self != Probe::Ok
    }
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Probe::Unreachable(reason) => write!(f, "unreachable: {reason}"),
            other => f.write_str(other.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(Probe::Ok.to_string(), "ok");
        assert!(!Probe::Ok.is_problem());
        assert!(Probe::Rejected.is_problem());
        assert_eq!(Probe::Unreachable("connection refused".into()).to_string(), "unreachable: connection refused");
        assert_eq!(Probe::Unreachable("x".into()).as_str(), "unreachable");
    }
}
