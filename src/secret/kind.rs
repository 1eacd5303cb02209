//! The kinds of credential docker-secops generates.

use serde::{Deserialize, Serialize};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SecretKind {
    /// Letters and digits only: survives compose interpolation, shells and URLs (default 32 chars).
    Password,
    /// Base64 of random bytes, like `openssl rand -base64 48` (default 64 chars).
    Jwt,
    /// Lower-case hex (default 64 chars).
    Hex,
}

impl SecretKind {
    /// The length generated when none is asked for.
    pub fn default_length(self) -> usize {
        match self {
            SecretKind::Password => 32,
            SecretKind::Jwt | SecretKind::Hex => 64,
        }
    }

    /// The smallest length we agree to generate: below it a secret fails our own `weak-secret` policy.
    pub fn min_length(self) -> usize {
        16
    }

    /// The name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            SecretKind::Password => "password",
            SecretKind::Jwt => "jwt",
            SecretKind::Hex => "hex",
        }
    }

    /// A human label for output.
    pub fn label(self) -> &'static str {
        match self {
            SecretKind::Password => "MongoDB/Redis password",
            SecretKind::Jwt => "JWT secret key",
            SecretKind::Hex => "Hex secret",
        }
    }
}
