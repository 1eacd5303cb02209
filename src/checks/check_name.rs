//! The stable kebab-case names of the checks, used in JSON, SARIF `ruleId`, `--skip` and `--only`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

macro_rules! check_names {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// One check.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub enum CheckName {
            $(#[serde(rename = $name)] $variant,)*
        }

        impl CheckName {
            /// Every check, in the documented order.
            pub const ALL: &'static [CheckName] = &[$(CheckName::$variant,)*];

            /// The kebab-case name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(CheckName::$variant => $name,)*
                }
            }
        }
    };
}

check_names! {
    EnvFileMissing => "env-file-missing",
    EnvSyntax => "env-syntax",
    EnvDuplicateKey => "env-duplicate-key",
    EnvFileTracked => "env-file-tracked",
    EnvFileNotIgnored => "env-file-not-ignored",
    SecretInGitHistory => "secret-in-git-history",
    SecretInline => "secret-inline",
    WeakSecret => "weak-secret",
    SecretReused => "secret-reused",
    SecretDollar => "secret-dollar",
    ExampleDrift => "example-drift",
    ExampleHasSecret => "example-has-secret",
    EnvFilePermissions => "env-file-permissions",
    EnvMismatch => "env-mismatch",
    DataNotPersisted => "data-not-persisted",
    DbPortExposed => "db-port-exposed",
    RedisNoAuth => "redis-no-auth",
    DbNoAuth => "db-no-auth",
    SecretInCommand => "secret-in-command",
    UndefinedVariable => "undefined-variable",
    SecretAge => "secret-age",
    StateNotIgnored => "state-not-ignored",
    SecretFileMissing => "secret-file-missing",
    SecretFilePermissions => "secret-file-permissions",
    SecretFileTracked => "secret-file-tracked",
    SecretFileNotIgnored => "secret-file-not-ignored",
    SecretEnvUnset => "secret-env-unset",
    StackUnsupported => "stack-unsupported",
    StackSecretUnversioned => "stack-secret-unversioned",
}

impl fmt::Display for CheckName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A name that is not a check.
#[derive(Debug, thiserror::Error)]
#[error("unknown check {0:?} (see `docker secops check --list`)")]
pub struct UnknownCheck(pub String);

impl FromStr for CheckName {
    type Err = UnknownCheck;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CheckName::ALL.iter().copied().find(|c| c.as_str() == s).ok_or_else(|| UnknownCheck(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_kebab_case() {
        for &c in CheckName::ALL {
            assert_eq!(c.as_str().parse::<CheckName>().expect("parses"), c);
            assert!(c.as_str().bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            assert_eq!(serde_json::to_value(c).expect("json"), c.as_str());
        }
        assert_eq!(CheckName::ALL.len(), 29);
    }
}
