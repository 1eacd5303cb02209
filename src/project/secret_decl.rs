//! The `x-secops` extension block: lets a compose file declare or override what a secret is and where it lives.
//!
//! ```yaml
//! x-secops:
//!   secrets:
//!     - key: REDIS_PASSWORD        # the env key (required)
//!       kind: password             # password | jwt | hex
//!       length: 32
//!       store: redis               # redis | mongo | env
//!       service: redis             # the compose service running the store
//!       user: default              # the store user (redis: ACL user; mongo: user name)
//!       user_key: MONGO_INITDB_ROOT_USERNAME   # or: the env key holding the user name
//!       auth_db: admin             # mongo only
//!       consumers: [api, worker]   # override the services recreated
//! ```

use serde::Deserialize;

use super::Project;

/// One declared secret.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct SecretDecl {
    pub key: String,
    pub kind: Option<String>,
    pub length: Option<usize>,
    pub store: Option<String>,
    pub service: Option<String>,
    pub user: Option<String>,
    pub user_key: Option<String>,
    pub auth_db: Option<String>,
    pub consumers: Option<Vec<String>>,
}

#[derive(Deserialize)]
struct Block {
    #[serde(default)]
    secrets: Vec<SecretDecl>,
}

impl SecretDecl {
    /// Every declaration of `project` (none when it has no valid `x-secops` block).
    pub fn all(project: &Project) -> Vec<SecretDecl> {
        project
            .x_secops
            .as_ref()
            .and_then(|value| serde_json::from_value::<Block>(value.clone()).ok())
            .map(|b| b.secrets)
            .unwrap_or_default()
    }
}
