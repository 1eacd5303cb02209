//! Which store holds a credential and as whom it logs in: part of a rotation plan and of its journal.

use serde::{Deserialize, Serialize};

use super::StoreKind;

/// The store of a planned rotation. The kind is kept by name so a journal stays readable by any version; an unknown
/// name is the env-files-only store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreSpec {
    /// The store kind's name (`env`, `redis`, `mongo`, ...).
    pub kind: String,
    /// The compose service running the store, when there is one.
    #[serde(default)]
    pub service: Option<String>,
    /// The user whose password rotates (Redis ACL user, MongoDB user, database role).
    #[serde(default)]
    pub user: Option<String>,
    /// The database the user authenticates against or works in (MongoDB auth database, PostgreSQL database).
    #[serde(default, alias = "auth_db")]
    pub database: Option<String>,
}

impl StoreSpec {
    /// The env-files-only store.
    pub fn env() -> Self {
        StoreSpec { kind: StoreKind::env().name().to_string(), service: None, user: None, database: None }
    }

    /// The kind's name, as stored.
    pub fn name(&self) -> &str {
        &self.kind
    }

    /// The kind this spec names.
    pub fn store_kind(&self) -> StoreKind {
        StoreKind::parse(&self.kind).unwrap_or_else(StoreKind::env)
    }

    /// The compose service running the store, when there is one.
    pub fn service(&self) -> Option<&str> {
        self.service.as_deref()
    }

    /// True for a store outside the env files (something to set, test and probe).
    pub fn external(&self) -> bool {
        self.store_kind().is_external()
    }

    /// The plan's one-line description of the store.
    pub fn summary(&self) -> String {
        self.store_kind().summary(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journals_of_the_enum_form_still_load() {
        let redis: StoreSpec =
            serde_json::from_str(r#"{"kind":"redis","service":"cache","user":"default"}"#).expect("redis");
        assert_eq!(redis.store_kind().name(), "redis");
        assert_eq!(redis.user.as_deref(), Some("default"));
        let mongo: StoreSpec =
            serde_json::from_str(r#"{"kind":"mongo","service":null,"user":"root","auth_db":"admin"}"#).expect("mongo");
        assert_eq!(mongo.database.as_deref(), Some("admin"));
        let env: StoreSpec = serde_json::from_str(r#"{"kind":"env"}"#).expect("env");
        assert!(!env.external());
        assert_eq!(env, StoreSpec::env());
    }
}
