//! The variable holding the version in a Swarm secret's `name:` (`name: shop_db_pw_${DB_PW_VERSION}`), defined in
//! an env file: a stack rotation sets it to the new object's version, so the next `docker stack deploy` of the
//! same files names the object the services already run.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// `key` in env file `file`, holding `old` before the rotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionVariable {
    pub file: PathBuf,
    pub key: String,
    pub old: String,
}
